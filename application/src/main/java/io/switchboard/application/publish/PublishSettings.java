package io.switchboard.application.publish;

/**
 * Limits on what publishers may send.
 *
 * @param maxPayloadBytes  largest {@code data} (JSON text, UTF-8 bytes)
 * @param maxBatchSize     most events in one atomic batch
 * @param maxRoomsPerEvent most rooms one event may name in {@code rooms}
 */
public record PublishSettings(int maxPayloadBytes, int maxBatchSize, int maxRoomsPerEvent) {
    public PublishSettings {
        if (maxPayloadBytes < 1 || maxBatchSize < 1 || maxRoomsPerEvent < 1) {
            throw new IllegalArgumentException("publish limits must be positive");
        }
    }

    public static PublishSettings defaults() {
        return new PublishSettings(64 * 1024, 1000, 100);
    }
}

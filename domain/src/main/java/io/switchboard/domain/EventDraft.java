package io.switchboard.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An event on its way into a room, before the log assigns its id and timestamp.
 *
 * @param data JSON text of the event's data (any JSON value)
 * @param meta extra top-level string fields a dialect needs ({@code updateType}, {@code correlationId})
 * @param key  coalescing key, or {@code null}
 * @param occurredAt when it happened, as its source says (a bridged domain event's {@code occurredAt}), which becomes
 *                   the event's timestamp; {@code null}: the log's time of appending it
 */
public record EventDraft(RoomName room, String type, String data, Map<String, String> meta, boolean critical, String key,
                         Instant occurredAt) {
    /** A draft stamped when the log appends it. */
    public EventDraft(RoomName room, String type, String data, Map<String, String> meta, boolean critical, String key) {
        this(room, type, data, meta, critical, key, null);
    }

    public EventDraft {
        Objects.requireNonNull(room, "room");
        String problem = EventType.problemWith(type);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        data = data == null ? "null" : data;
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }
}

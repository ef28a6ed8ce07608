package io.switchboard.adapters.http;

/**
 * How large a request body may be, checked before it is parsed (SPEC 15). A body that holds one
 * event may have the payload limit plus {@link #ENVELOPE_BYTES} for what surrounds the data.
 *
 * @param maxPayloadBytes largest {@code data} of one event ({@code hub.publish.max-payload-bytes})
 * @param maxBatchBytes   largest body holding an array of events or domain events (a batch)
 * @param maxCommandBytes largest {@code data} of a command ({@code hub.inbound.max-bytes})
 * @param maxWebhookBytes largest webhook body
 */
public record BodyLimits(int maxPayloadBytes, long maxBatchBytes, int maxCommandBytes, long maxWebhookBytes) {
    /** Room names, type, meta, key and JSON punctuation around a payload. */
    public static final int ENVELOPE_BYTES = 16 * 1024;

    public BodyLimits {
        if (maxPayloadBytes < 1 || maxBatchBytes < 1 || maxCommandBytes < 1 || maxWebhookBytes < 1) {
            throw new IllegalArgumentException("body limits must be positive");
        }
    }

    /** The largest body any route reads: the server refuses a larger one outright. */
    public long largest() {
        return Math.max(Math.max(maxPayloadBytes + (long) ENVELOPE_BYTES, maxBatchBytes),
                Math.max(maxCommandBytes + (long) ENVELOPE_BYTES, maxWebhookBytes));
    }

    JsonInput events() {
        return new JsonInput(maxPayloadBytes + (long) ENVELOPE_BYTES, maxBatchBytes,
                "one event (data up to " + maxPayloadBytes + " bytes)", true);
    }

    JsonInput stateDocuments() {
        return new JsonInput(maxPayloadBytes + (long) ENVELOPE_BYTES, "a state document", false);
    }

    JsonInput commands() {
        return new JsonInput(maxCommandBytes + (long) ENVELOPE_BYTES, "a command (data up to " + maxCommandBytes + " bytes)", false);
    }
}

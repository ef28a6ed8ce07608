package io.switchboard.application.port.in;

import java.util.List;
import java.util.Objects;

/**
 * A publish request: one event or an atomic batch.
 *
 * @param idempotencyKey repeated within the retention window, the first answer is returned and nothing is published
 * @param publisher      who publishes, for the audit trail
 * @param readProblems   problems the adapter found while reading the request (wrong JSON types, unknown
 *                       fields); reported together with the use case's own findings
 */
public record PublishCommand(List<EventSubmission> events, boolean batch, String idempotencyKey, String publisher,
                             List<Problem> readProblems) {
    public PublishCommand {
        Objects.requireNonNull(events, "events");
        events = List.copyOf(events);
        readProblems = readProblems == null ? List.of() : List.copyOf(readProblems);
        if (!batch && events.size() != 1) {
            throw new IllegalArgumentException("a single publish carries exactly one event");
        }
    }
}

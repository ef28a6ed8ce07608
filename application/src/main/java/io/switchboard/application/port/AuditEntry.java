package io.switchboard.application.port;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited happening (SPEC 10): what, when, for which connection, user, address and endpoint,
 * and how it ended. Never a token or event data.
 *
 * @param type    e.g. {@code connection.opened}, {@code auth.failed}, {@code authz.denied}
 * @param outcome {@code ok}, {@code denied}, {@code rejected}, ... or a close code
 * @param room    the room concerned, or {@code null}
 * @param detail  a short reason or description, or {@code null}
 */
public record AuditEntry(long seq, Instant time, String type, String connectionId, String userId, String ip,
                         String endpoint, String outcome, String room, String detail) {
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
    }
}

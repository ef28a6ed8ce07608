package io.switchboard.application.port.out;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import java.time.Instant;
import java.util.List;

/** Where audit entries are kept, with retention, for querying. */
public interface AuditLog {

    /** Stores an entry and returns it with its sequence number. */
    AuditEntry append(AuditEntry entry);

    /**
     * Stores entries in order and returns them with their sequence numbers; a database stores them
     * in one transaction (one commit for many entries, as the audit trail's writer hands them over).
     */
    default List<AuditEntry> appendAll(List<AuditEntry> entries) {
        return entries.stream().map(this::append).toList();
    }

    /** Entries at or after {@code since} that match, oldest first, at most {@code limit}. */
    List<AuditEntry> query(Instant since, AuditFilter filter, int limit);
}

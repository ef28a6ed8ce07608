package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.port.out.AuditLog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The newest audit entries in memory, up to a count; the oldest leave first. */
final class InMemoryAuditLog implements AuditLog {
    private final ArrayDeque<AuditEntry> entries = new ArrayDeque<>();
    private final int capacity;
    private long seq;

    InMemoryAuditLog(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized AuditEntry append(AuditEntry entry) {
        AuditEntry stored = new AuditEntry(++seq, entry.time(), entry.type(), entry.connectionId(), entry.userId(), entry.ip(),
                entry.endpoint(), entry.outcome(), entry.room(), entry.detail());
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(stored);
        return stored;
    }

    @Override
    public synchronized List<AuditEntry> query(Instant since, AuditFilter filter, int limit) {
        List<AuditEntry> found = new ArrayList<>();
        for (AuditEntry entry : entries) {
            if (found.size() >= limit) {
                break;
            }
            if ((since == null || !entry.time().isBefore(since)) && filter.matches(entry)) {
                found.add(entry);
            }
        }
        return found;
    }
}

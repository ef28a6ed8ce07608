package io.switchboard.application.audit;

import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.out.AuditLog;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records audit entries and streams them live to the administrators watching, each through their
 * own filter. Recording never waits on a watcher: entries go to the watchers' outbound queues.
 */
public final class AuditTrail {
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());

    private final AuditLog log;
    private final Clock clock;
    private final Map<Connection, AuditFilter> watchers = new ConcurrentHashMap<>();

    public AuditTrail(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Entries at or after {@code since} matching {@code filter}, oldest first. */
    public java.util.List<AuditEntry> query(java.time.Instant since, AuditFilter filter, int limit) {
        return log.query(since, filter, limit);
    }

    /** Records what happened to or on a connection. */
    public void record(String type, Connection connection, String outcome, String room, String detail) {
        record(type, connection.id().value(), connection.userId(), connection.spec().remoteIp(), connection.spec().endpoint(),
                outcome, room, detail);
    }

    /** Records a happening before or without a connection (a refused upgrade, a publish). */
    public void record(String type, String connectionId, String userId, String ip, String endpoint, String outcome,
                       String room, String detail) {
        AuditEntry entry;
        try {
            entry = log.append(new AuditEntry(0, clock.instant(), type, connectionId, userId, ip, endpoint, outcome, room, detail));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "audit entry could not be stored: " + type, e);
            return;
        }
        watchers.forEach((watcher, filter) -> {
            if (watcher.finished()) {
                watchers.remove(watcher);
            } else if (filter.matches(entry)) {
                watcher.send(new Outbound.Audit(entry));
            }
        });
    }

    /** Streams matching entries to {@code watcher} until it closes (or until called again with a new filter). */
    public void watch(Connection watcher, AuditFilter filter) {
        watchers.put(watcher, filter);
    }

    public void unwatch(Connection watcher) {
        watchers.remove(watcher);
    }
}

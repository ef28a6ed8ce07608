package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.switchboard.application.audit.AuditEntry;
import io.switchboard.application.audit.AuditFilter;
import io.switchboard.application.port.out.AuditLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Audit entries in table {@code audit_log}, numbered by the database; entries older than
 * {@code retention} are deleted every few hundred appends.
 */
final class JdbcAuditLog implements AuditLog {
    static final int SWEEP_EVERY = 256;
    private static final String COLUMNS = "time, type, connection_id, user_id, ip, endpoint, outcome, room, detail";

    private final DbClient db;
    private final String insert;
    private final Duration retention;
    private final Clock clock;
    private final AtomicInteger appendsSinceSweep = new AtomicInteger();

    /** {@code dialect} says how the insert hands back the new row's number. */
    JdbcAuditLog(DbClient db, String dialect, Duration retention, Clock clock) {
        this.db = db;
        String values = "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insert = "postgres".equals(dialect) ? values + " RETURNING seq" : "SELECT seq FROM FINAL TABLE (" + values + ")";
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        long seq = db.execute()
                .get(insert, Columns.timestamp(entry.time()), entry.type(), entry.connectionId(), entry.userId(), entry.ip(),
                        entry.endpoint(), entry.outcome(), entry.room(), entry.detail())
                .map(row -> row.column("seq").get(Long.class))
                .orElseThrow();
        if (appendsSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            appendsSinceSweep.set(0);
            db.execute().delete("DELETE FROM audit_log WHERE time < ?", Columns.timestamp(clock.instant().minus(retention)));
        }
        return new AuditEntry(seq, entry.time(), entry.type(), entry.connectionId(), entry.userId(), entry.ip(),
                entry.endpoint(), entry.outcome(), entry.room(), entry.detail());
    }

    /** User, room, address and time are matched in SQL; types (and type prefixes) here. */
    @Override
    public List<AuditEntry> query(Instant since, AuditFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT seq, " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        condition(sql, params, "time >= ?", since == null ? null : Columns.timestamp(since));
        condition(sql, params, "user_id = ?", filter.user());
        condition(sql, params, "room = ?", filter.room());
        condition(sql, params, "ip = ?", filter.ip());
        sql.append(" ORDER BY seq");
        if (filter.types().isEmpty()) {
            sql.append(" LIMIT ").append(limit);
        }
        try (Stream<DbRow> rows = db.execute().query(sql.toString(), params.toArray())) {
            return rows.map(JdbcAuditLog::entry).filter(filter::matches).limit(limit).toList();
        }
    }

    private static void condition(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
    }

    private static AuditEntry entry(DbRow row) {
        return new AuditEntry(row.column("seq").get(Long.class), Columns.instant(row, "time"), Columns.text(row, "type"),
                Columns.text(row, "connection_id"), Columns.text(row, "user_id"), Columns.text(row, "ip"),
                Columns.text(row, "endpoint"), Columns.text(row, "outcome"), Columns.text(row, "room"),
                Columns.text(row, "detail"));
    }
}

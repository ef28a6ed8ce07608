package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.port.out.AuditLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Audit entries in table {@code audit_log}, numbered by the database; entries older than
 * {@code retention} are deleted every few hundred appends. On a database several nodes share,
 * each insert also notifies a channel with the new entry's number, at its commit, for the
 * {@link PostgresAuditFeed} of every node.
 */
final class JdbcAuditLog implements AuditLog {
    static final int SWEEP_EVERY = 256;
    private static final String COLUMNS = "time, type, connection_id, user_id, ip, endpoint, outcome, room, detail";

    private final DbClient db;
    private final String insert;
    private final Duration retention;
    private final Clock clock;
    private final AtomicInteger appendsSinceSweep = new AtomicInteger();

    private final String channel;

    /** An audit log only this process writes; {@code dialect} says how the insert hands back the new row's number. */
    JdbcAuditLog(DbClient db, String dialect, Duration retention, Clock clock) {
        this(db, dialect, retention, clock, null);
    }

    /**
     * @param channel on PostgreSQL, the channel each insert notifies with the new row's number;
     *                {@code null} for none
     */
    JdbcAuditLog(DbClient db, String dialect, Duration retention, Clock clock, String channel) {
        this.db = db;
        String values = "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        if (!"postgres".equals(dialect)) {
            this.insert = "SELECT seq FROM FINAL TABLE (" + values + ")";
        } else if (channel == null) {
            this.insert = values + " RETURNING seq";
        } else {
            // The notification leaves at commit, so a listener that hears it can read the row.
            this.insert = "WITH added AS (" + values + " RETURNING seq)"
                    + " SELECT seq, pg_notify(?, CAST(seq AS TEXT)) IS NULL AS sent FROM added";
        }
        this.retention = retention;
        this.clock = clock;
        this.channel = channel;
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        List<Object> values = new ArrayList<>(Arrays.asList(Columns.timestamp(entry.time()), entry.type(),
                entry.connectionId(), entry.userId(), entry.ip(), entry.endpoint(), entry.outcome(), entry.room(), entry.detail()));
        if (channel != null) {
            values.add(channel);
        }
        long seq = db.execute()
                .get(insert, values.toArray())
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

    /** The highest entry number stored, 0 when none is. */
    long lastSeq() {
        return db.execute().get("SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_log")
                .map(row -> row.column("seq").get(Long.class))
                .orElse(0L);
    }

    /** Entries numbered above {@code seq} or among {@code missing}, by number, at most {@code limit}. */
    List<AuditEntry> after(long seq, Collection<Long> missing, int limit) {
        StringBuilder sql = new StringBuilder("SELECT seq, " + COLUMNS + " FROM audit_log WHERE seq > ?");
        if (!missing.isEmpty()) {
            // Numbers, not text: written into the statement as they are.
            sql.append(" OR seq IN (").append(missing.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append(')');
        }
        sql.append(" ORDER BY seq LIMIT ").append(limit);
        try (Stream<DbRow> rows = db.execute().query(sql.toString(), seq)) {
            return rows.map(JdbcAuditLog::entry).toList();
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

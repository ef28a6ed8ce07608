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
 * each insert also notifies a channel with the highest new entry number, at its commit, for the
 * {@link PostgresAuditFeed} of every node.
 */
final class JdbcAuditLog implements AuditLog {
    static final int SWEEP_EVERY = 256;
    private static final String COLUMNS = "time, type, connection_id, user_id, ip, endpoint, outcome, room, detail";

    /** Entries one INSERT statement holds (9 parameters each). */
    static final int ROWS_PER_INSERT = 256;

    private final DbClient db;
    private final String dialect;
    private final Duration retention;
    private final Clock clock;
    private final AtomicInteger appendsSinceSweep = new AtomicInteger();

    private final String channel;

    /** An audit log only this process writes; {@code dialect} says how the insert hands back the new row's number. */
    JdbcAuditLog(DbClient db, String dialect, Duration retention, Clock clock) {
        this(db, dialect, retention, clock, null);
    }

    /**
     * @param channel on PostgreSQL, the channel each insert notifies with its highest new row number;
     *                {@code null} for none
     */
    JdbcAuditLog(DbClient db, String dialect, Duration retention, Clock clock, String channel) {
        this.db = db;
        this.dialect = dialect;
        this.retention = retention;
        this.clock = clock;
        this.channel = channel;
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        return appendAll(List.of(entry)).getFirst();
    }

    /** In one transaction: one commit for all of them, one statement for up to {@link #ROWS_PER_INSERT}. */
    @Override
    public List<AuditEntry> appendAll(List<AuditEntry> entries) {
        List<AuditEntry> stored = new ArrayList<>(entries.size());
        Transactions.run(db, tx -> {
            for (int from = 0; from < entries.size(); from += ROWS_PER_INSERT) {
                List<AuditEntry> chunk = entries.subList(from, Math.min(entries.size(), from + ROWS_PER_INSERT));
                List<Object> values = new ArrayList<>(chunk.size() * 9 + 1);
                for (AuditEntry entry : chunk) {
                    values.addAll(Arrays.asList(Columns.timestamp(entry.time()), entry.type(), entry.connectionId(), entry.userId(),
                            entry.ip(), entry.endpoint(), entry.outcome(), entry.room(), entry.detail()));
                }
                if (channel != null) {
                    values.add(channel);
                }
                List<Long> numbers;
                try (Stream<DbRow> rows = tx.query(insert(chunk.size()), values.toArray())) {
                    numbers = rows.map(row -> row.column("seq").get(Long.class)).sorted().toList();
                }
                if (numbers.size() != chunk.size()) {
                    throw new IllegalStateException("stored " + numbers.size() + " audit entries of " + chunk.size());
                }
                // A multi-row insert numbers its rows in the order of its VALUES.
                for (int i = 0; i < chunk.size(); i++) {
                    AuditEntry entry = chunk.get(i);
                    stored.add(new AuditEntry(numbers.get(i), entry.time(), entry.type(), entry.connectionId(), entry.userId(),
                            entry.ip(), entry.endpoint(), entry.outcome(), entry.room(), entry.detail()));
                }
            }
        });
        if (appendsSinceSweep.addAndGet(entries.size()) >= SWEEP_EVERY) {
            appendsSinceSweep.set(0);
            db.execute().delete("DELETE FROM audit_log WHERE time < ?", Columns.timestamp(clock.instant().minus(retention)));
        }
        return stored;
    }

    /**
     * One statement inserting {@code rows} entries and answering their numbers; on a shared
     * PostgreSQL database it also notifies {@link #channel} once, with the highest number, at commit
     * (a listener that hears it reads every row up to it).
     */
    private String insert(int rows) {
        StringBuilder values = new StringBuilder("INSERT INTO audit_log (" + COLUMNS + ") VALUES ");
        for (int i = 0; i < rows; i++) {
            values.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        if (!"postgres".equals(dialect)) {
            return "SELECT seq FROM FINAL TABLE (" + values + ")";
        }
        if (channel == null) {
            return values + " RETURNING seq";
        }
        return "WITH added AS (" + values + " RETURNING seq)"
                + " SELECT seq, CASE WHEN seq = MAX(seq) OVER () THEN pg_notify(?, CAST(seq AS TEXT)) IS NULL END AS sent"
                + " FROM added";
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

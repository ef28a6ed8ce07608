package io.switchboard.adapters.eventbus;

import io.switchboard.domain.EventDraft;
import io.switchboard.domain.RoomName;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A group commit's transaction on PostgreSQL in one round trip (SPEC 17). Under load every round
 * trip to the server waits for a core, so the statements a group needs — bound the lock wait,
 * allocate each room's ids, insert the rows, notify the nodes, commit — go as one pipelined
 * statement list, answered once:
 * <pre>
 * SET LOCAL lock_timeout = …;
 * WITH reserved AS (INSERT INTO rooms … ON CONFLICT (room) DO UPDATE … RETURNING room, last_id),
 *      stored AS (INSERT INTO events SELECT …, reserved.last_id - back, … FROM (VALUES …) JOIN reserved)
 * SELECT room, last_id, pg_notify(…) FROM reserved;
 * COMMIT
 * </pre>
 * The room rows are locked in the order of their {@code VALUES}, name order, as in
 * {@link EventRows#reserve}; each event's id is its room's new last id less {@code back}, the
 * number of the group's later events of that room, so ids follow the drafts' order. The
 * {@code COMMIT} answers only once the transaction is durable; when any statement fails, the
 * server skips the rest, the transaction is rolled back and the failure thrown (SQLState kept, so
 * {@link GroupCommit} can tell a row at fault or a lock given up).
 */
final class PostgresGroupAppend {
    /** Most events one pipelined statement takes (8 parameters each, 2 per room; PostgreSQL allows 65,535 a statement). */
    static final int MAX_EVENTS = 4000;

    private final JdbcDatabase database;
    private final String channel;
    private final Duration lockWait;

    PostgresGroupAppend(JdbcDatabase database, String channel, Duration lockWait) {
        this.database = database;
        this.channel = channel;
        this.lockWait = lockWait;
    }

    /**
     * Stores {@code drafts} (at most {@link #MAX_EVENTS}) with creation time {@code now} and commits;
     * returns each room's new last id.
     *
     * @param counts each room's number of drafts, in name order
     */
    Map<RoomName, Long> commit(SortedMap<RoomName, Integer> counts, List<EventDraft> drafts, Instant now) {
        if (drafts.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("one pipelined append takes at most " + MAX_EVENTS + " events, got " + drafts.size());
        }
        try {
            return database.inTransaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql(counts.size(), drafts.size()))) {
                    bind(statement, counts, drafts, now);
                    return lastIds(statement, counts.size());
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("appending " + drafts.size() + " events failed: " + e.getMessage(), e);
        }
    }

    private String sql(int rooms, int events) {
        StringBuilder sql = new StringBuilder(160 + rooms * 8 + events * 110)
                .append("SET LOCAL lock_timeout = '").append(lockWait.toMillis()).append("ms';\n")
                .append("WITH reserved AS (INSERT INTO rooms (room, last_id) VALUES ");
        for (int i = 0; i < rooms; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?)");
        }
        sql.append(" ON CONFLICT (room) DO UPDATE SET last_id = rooms.last_id + EXCLUDED.last_id RETURNING room, last_id),\n")
                .append("stored AS (INSERT INTO events (room, id, event_type, data, meta, critical, event_key, created_at)")
                .append(" SELECT d.room, r.last_id - d.back, d.event_type, d.data, d.meta, d.critical, d.event_key, d.created_at")
                .append(" FROM (VALUES ");
        for (int i = 0; i < events; i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("(?::varchar, ?::bigint, ?::varchar, ?::text, ?::text, ?::boolean, ?::varchar, ?::timestamptz)");
        }
        return sql.append(") AS d (room, back, event_type, data, meta, critical, event_key, created_at)")
                .append(" JOIN reserved r ON r.room = d.room)\n")
                .append("SELECT room, last_id, pg_notify(?, last_id || ' ' || room) IS NULL AS sent FROM reserved;\n")
                .append("COMMIT")
                .toString();
    }

    private void bind(PreparedStatement statement, SortedMap<RoomName, Integer> counts, List<EventDraft> drafts, Instant now)
            throws SQLException {
        int p = 1;
        for (Map.Entry<RoomName, Integer> room : counts.entrySet()) {
            statement.setString(p++, room.getKey().value());
            statement.setLong(p++, room.getValue());
        }
        Map<RoomName, Integer> later = new HashMap<>(counts);
        Object createdAt = Columns.timestamp(now);
        for (EventDraft draft : drafts) {
            int back = later.merge(draft.room(), -1, Integer::sum);
            statement.setString(p++, draft.room().value());
            statement.setLong(p++, back);
            statement.setString(p++, draft.type());
            statement.setString(p++, draft.data());
            String meta = StoredJson.meta(draft.meta());
            if (meta == null) {
                statement.setNull(p++, Types.VARCHAR);
            } else {
                statement.setString(p++, meta);
            }
            statement.setBoolean(p++, draft.critical());
            if (draft.key() == null) {
                statement.setNull(p++, Types.VARCHAR);
            } else {
                statement.setString(p++, draft.key());
            }
            statement.setObject(p++, createdAt);
        }
        statement.setString(p, channel);
    }

    /** Reads the rows of the {@code SELECT}, the one result among the statements' update counts. */
    private static Map<RoomName, Long> lastIds(PreparedStatement statement, int rooms) throws SQLException {
        Map<RoomName, Long> lastIds = new HashMap<>();
        boolean rows = statement.execute();
        while (rows || statement.getUpdateCount() != -1) {
            if (rows) {
                try (ResultSet result = statement.getResultSet()) {
                    while (result.next()) {
                        lastIds.put(new RoomName(result.getString("room")), result.getLong("last_id"));
                    }
                }
            }
            rows = statement.getMoreResults();
        }
        if (lastIds.size() != rooms) {
            throw new IllegalStateException("allocated ids for " + lastIds.size() + " rooms, not for every one of " + rooms);
        }
        return lastIds;
    }
}

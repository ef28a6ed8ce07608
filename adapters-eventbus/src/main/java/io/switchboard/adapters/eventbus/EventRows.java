package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of tables {@code events} and {@code rooms}; every statement names its room, the first key column. */
final class EventRows {
    private static final String EVENT_COLUMNS = "id, event_type, data, meta, critical, event_key, created_at";

    /** Rows one INSERT statement holds (8 parameters each; PostgreSQL allows 65,535 parameters a statement). */
    static final int ROWS_PER_INSERT = 256;

    private final DbClient db;

    EventRows(DbClient db) {
        this.db = db;
    }

    /** The room's last assigned id, if the room ever had an event. */
    Optional<Long> lastId(RoomName room) {
        return db.execute().get("SELECT last_id FROM rooms WHERE room = ?", room.value())
                .map(row -> row.column("last_id").get(Long.class));
    }

    /** Saves each room's last id (H2): one statement for every room, inserting the rows of new rooms; none for no room. */
    void saveLastIds(DbExecute tx, Map<RoomName, Long> lastIds) {
        if (lastIds.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("MERGE INTO rooms (room, last_id) KEY (room) VALUES ");
        List<Object> parameters = new ArrayList<>(lastIds.size() * 2);
        lastIds.forEach((room, lastId) -> {
            sql.append(parameters.isEmpty() ? "" : ", ").append("(?, ?)");
            parameters.add(room.value());
            parameters.add(lastId);
        });
        tx.update(sql.toString(), parameters.toArray());
    }

    /** Inserts {@code events} in as few statements as possible: rows of up to {@link #ROWS_PER_INSERT} per statement. */
    void insertAll(DbExecute tx, List<Event> events) {
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            List<Event> chunk = events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder("INSERT INTO events (room, " + EVENT_COLUMNS + ") VALUES ");
            List<Object> parameters = new ArrayList<>(chunk.size() * 8);
            for (Event event : chunk) {
                sql.append(parameters.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?)");
                parameters.addAll(Arrays.asList(event.room().value(), event.id().value(), event.type(), event.data(),
                        StoredJson.meta(event.meta()), event.critical(), event.key(), Columns.timestamp(event.timestamp())));
            }
            tx.insert(sql.toString(), parameters.toArray());
        }
    }

    /** The stored events after {@code position} up to {@code last}, in id order. */
    List<Event> after(RoomName room, long position, long last) {
        return db.execute()
                .query("SELECT " + EVENT_COLUMNS + " FROM events WHERE room = ? AND id > ? AND id <= ? ORDER BY id",
                        room.value(), position, last)
                .map(row -> event(room, row))
                .toList();
    }

    /** Up to {@code limit} stored events after {@code position}, in id order. */
    List<Event> next(RoomName room, long position, int limit) {
        return db.execute()
                .query("SELECT " + EVENT_COLUMNS + " FROM events WHERE room = ? AND id > ? ORDER BY id LIMIT " + limit,
                        room.value(), position)
                .map(row -> event(room, row))
                .toList();
    }

    /** Every room's last assigned id. */
    Map<RoomName, Long> lastIds() {
        Map<RoomName, Long> lastIds = new HashMap<>();
        db.execute().query("SELECT room, last_id FROM rooms")
                .forEach(row -> lastIds.put(new RoomName(row.column("room").get(String.class)),
                        row.column("last_id").get(Long.class)));
        return lastIds;
    }

    /**
     * In {@code tx}: allocates {@code counts} ids of each room (PostgreSQL) and returns each room's new
     * last id, holding the room rows' locks until the transaction ends. One statement for all rooms,
     * whose rows it takes in the order of {@code counts} (name order, so that appends cannot deadlock).
     */
    Map<RoomName, Long> reserve(DbExecute tx, java.util.SortedMap<RoomName, Integer> counts) {
        StringBuilder sql = new StringBuilder("INSERT INTO rooms (room, last_id) VALUES ");
        List<Object> parameters = new ArrayList<>(counts.size() * 2);
        counts.forEach((room, count) -> {
            sql.append(parameters.isEmpty() ? "" : ", ").append("(?, ?)");
            parameters.add(room.value());
            parameters.add((long) count);
        });
        sql.append(" ON CONFLICT (room) DO UPDATE SET last_id = rooms.last_id + EXCLUDED.last_id RETURNING room, last_id");
        Map<RoomName, Long> lastIds = new HashMap<>();
        try (var rows = tx.query(sql.toString(), parameters.toArray())) {
            rows.forEach(row -> lastIds.put(new RoomName(row.column("room").get(String.class)), row.column("last_id").get(Long.class)));
        }
        if (lastIds.size() != counts.size()) {
            throw new IllegalStateException("allocated ids for " + lastIds.keySet() + ", not for every room of " + counts.keySet());
        }
        return lastIds;
    }

    /**
     * The lowest id at or above {@code from} stored no earlier than {@code notBefore}: the key's
     * order read from {@code from} on, stopping at the first such row (usually the first one read).
     */
    Optional<EventId> firstSince(RoomName room, long from, Instant notBefore) {
        return db.execute()
                .get("SELECT id FROM events WHERE room = ? AND id >= ? AND created_at >= ? ORDER BY id LIMIT 1",
                        room.value(), from, Columns.timestamp(notBefore))
                .map(row -> row.column("id").get(Long.class))
                .map(EventId::new);
    }

    void deleteBefore(RoomName room, long id) {
        db.execute().delete("DELETE FROM events WHERE room = ? AND id < ?", room.value(), id);
    }

    private static Event event(RoomName room, DbRow row) {
        return new Event(new EventId(row.column("id").get(Long.class)), room, row.column("event_type").get(String.class),
                Columns.text(row, "data"), Columns.instant(row, "created_at"), StoredJson.meta(Columns.text(row, "meta")),
                row.column("critical").get(Boolean.class), row.column("event_key").get(String.class));
    }
}

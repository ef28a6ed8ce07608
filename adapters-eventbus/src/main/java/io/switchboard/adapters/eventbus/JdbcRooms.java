package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.application.port.out.StateStore;
import io.switchboard.application.port.RoomState;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.sql.SQLException;
import java.util.Optional;

/** Declared rooms in table {@code declared_rooms}, state documents in {@code room_states}. */
final class JdbcRooms implements RoomDirectory, StateStore {
    private final DbClient db;
    private final String upsertState;

    /** {@code dialect} says how a state document replaces the stored one. */
    JdbcRooms(DbClient db, String dialect) {
        this.db = db;
        this.upsertState = "postgres".equals(dialect)
                ? "INSERT INTO room_states (room, state, last_id) VALUES (?, ?, ?)"
                        + " ON CONFLICT (room) DO UPDATE SET state = EXCLUDED.state, last_id = EXCLUDED.last_id"
                : "MERGE INTO room_states (room, state, last_id) KEY (room) VALUES (?, ?, ?)";
    }

    @Override
    public boolean declared(RoomName room) {
        return db.execute().get("SELECT room FROM declared_rooms WHERE room = ?", room.value()).isPresent();
    }

    @Override
    public boolean declare(RoomName room) {
        return insertOnce(db, "INSERT INTO declared_rooms (room) SELECT CAST(? AS VARCHAR(129))"
                + " WHERE NOT EXISTS (SELECT 1 FROM declared_rooms WHERE room = ?)", room.value(), room.value());
    }

    /** Forgets the room's state document too. */
    @Override
    public boolean remove(RoomName room) {
        long[] removed = {0};
        Transactions.run(db, tx -> {
            tx.delete("DELETE FROM room_states WHERE room = ?", room.value());
            removed[0] = tx.delete("DELETE FROM declared_rooms WHERE room = ?", room.value());
        });
        return removed[0] > 0;
    }

    @Override
    public Optional<RoomState> get(RoomName room) {
        return db.execute().get("SELECT state, last_id FROM room_states WHERE room = ?", room.value())
                .map(row -> new RoomState(room, Columns.text(row, "state"), new EventId(row.column("last_id").get(Long.class))));
    }

    @Override
    public void put(RoomState state) {
        db.execute().dml(upsertState, state.room().value(), state.state(), state.lastId().value());
    }

    /**
     * Runs an insert guarded by {@code WHERE NOT EXISTS}; returns whether it added the row. A
     * concurrent insert of the same key that wins the race counts as "was there already".
     */
    static boolean insertOnce(DbClient db, String insert, Object... params) {
        try {
            return db.execute().insert(insert, params) > 0;
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return false;
                }
            }
            throw e;
        }
    }
}

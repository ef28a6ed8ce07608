package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.switchboard.application.port.out.RoomMembers;
import io.switchboard.domain.RoomName;

import java.util.List;

/** Room membership in table {@code room_members}. */
final class JdbcRoomMembers implements RoomMembers {
    private final DbClient db;

    JdbcRoomMembers(DbClient db) {
        this.db = db;
    }

    @Override
    public boolean isMember(RoomName room, String userId) {
        return db.execute().get("SELECT user_id FROM room_members WHERE room = ? AND user_id = ?", room.value(), userId)
                .isPresent();
    }

    @Override
    public void add(RoomName room, String userId) {
        JdbcRooms.insertOnce(db, "INSERT INTO room_members (room, user_id) SELECT CAST(? AS VARCHAR(129)), CAST(? AS VARCHAR)"
                + " WHERE NOT EXISTS (SELECT 1 FROM room_members WHERE room = ? AND user_id = ?)",
                room.value(), userId, room.value(), userId);
    }

    @Override
    public boolean remove(RoomName room, String userId) {
        return db.execute().delete("DELETE FROM room_members WHERE room = ? AND user_id = ?", room.value(), userId) > 0;
    }

    /** Sorted here, as Java compares strings, rather than by the database's collation. */
    @Override
    public List<String> members(RoomName room) {
        return db.execute().query("SELECT user_id FROM room_members WHERE room = ?", room.value())
                .map(row -> Columns.text(row, "user_id"))
                .sorted()
                .toList();
    }
}

package io.switchboard.application.rooms;

import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.domain.RoomName;

/** A room directory in which no room is declared, nor can be. */
public final class NoRooms implements RoomDirectory {
    @Override
    public boolean declared(RoomName room) {
        return false;
    }

    @Override
    public boolean declare(RoomName room) {
        return false;
    }

    @Override
    public boolean remove(RoomName room) {
        return false;
    }
}

package io.switchboard.application.rooms;

import io.switchboard.application.port.RoomState;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.StateStore;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.Optional;

/** Stores a room's state document together with the room's position, so clients can continue from it. */
public final class RoomStateService {
    private final StateStore store;
    private final EventLog log;

    public RoomStateService(StateStore store, EventLog log) {
        this.store = store;
        this.log = log;
    }

    /** @param state JSON text */
    public RoomState put(RoomName room, String state) {
        RoomState stored = new RoomState(room, state, log.lastId(room).orElse(new EventId(0)));
        store.put(stored);
        return stored;
    }

    public Optional<RoomState> get(RoomName room) {
        return store.get(room);
    }
}

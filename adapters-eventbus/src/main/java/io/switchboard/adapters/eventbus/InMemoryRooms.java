package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.application.port.out.StateStore;
import io.switchboard.application.port.RoomState;
import io.switchboard.domain.RoomName;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Declared rooms and state documents in memory; gone on restart. */
final class InMemoryRooms implements RoomDirectory, StateStore {
    private final Set<RoomName> declared = ConcurrentHashMap.newKeySet();
    private final Map<RoomName, RoomState> states = new ConcurrentHashMap<>();

    @Override
    public boolean declared(RoomName room) {
        return declared.contains(room);
    }

    @Override
    public boolean declare(RoomName room) {
        return declared.add(room);
    }

    @Override
    public boolean remove(RoomName room) {
        states.remove(room);
        return declared.remove(room);
    }

    @Override
    public Optional<RoomState> get(RoomName room) {
        return Optional.ofNullable(states.get(room));
    }

    @Override
    public void put(RoomState state) {
        states.put(state.room(), state);
    }
}

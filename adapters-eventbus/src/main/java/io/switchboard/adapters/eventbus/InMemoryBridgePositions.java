package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.BridgePositions;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Intake positions of one process in memory: they and the events go together on restart. */
final class InMemoryBridgePositions implements BridgePositions {
    private final InMemoryEventStore store;
    private final Map<RoomName, EventId> positions = new HashMap<>();

    InMemoryBridgePositions(InMemoryEventStore store) {
        this.store = store;
    }

    @Override
    public synchronized EventId position(RoomName intake) {
        return positions.getOrDefault(intake, store.origin());
    }

    @Override
    public synchronized Optional<List<Event>> advance(RoomName intake, EventId from, EventId to, List<EventDraft> drafts) {
        if (!position(intake).equals(from)) {
            return Optional.empty();
        }
        List<Event> stored = store.append(drafts);
        positions.put(intake, to);
        return Optional.of(stored);
    }
}

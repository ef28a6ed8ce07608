package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.RoomName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replayed events as {@link Delivery} objects shared by every connection that resumes over them, so
 * that each event's frame is rendered once per dialect, not once per resuming client: in a resume
 * storm (10,000 clients replaying the same 100 events) rendering was 38 % of the hub's samples.
 * A room's id names one event for good, so an event read again (from the log, by another client)
 * is the same event. Bounded: past {@code capacity} entries the cache starts over, which costs a
 * render per event again but never a wrong one.
 */
final class ReplayDeliveries {
    private record Key(RoomName room, long id) {
    }

    private final int capacity;
    private final Map<Key, Delivery> deliveries = new ConcurrentHashMap<>();

    ReplayDeliveries(int capacity) {
        this.capacity = capacity;
    }

    /** The replay deliveries of {@code events}, in their order. */
    List<Delivery> of(List<Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        if (deliveries.size() + events.size() > capacity) {
            deliveries.clear();
        }
        long now = System.nanoTime();
        List<Delivery> result = new ArrayList<>(events.size());
        for (Event event : events) {
            // Not live: a replay neither counts as delivery latency nor against the queue bounds.
            result.add(deliveries.computeIfAbsent(new Key(event.room(), event.id().value()), key -> new Delivery(event, now, false)));
        }
        return result;
    }

    int size() {
        return deliveries.size();
    }
}

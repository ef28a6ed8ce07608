package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.RoomHistory;
import io.switchboard.domain.RoomName;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bus and log of one process, in memory. Ids start above this process's start time in
 * microseconds, so an id from an earlier run is recognised as a reset stream, not replayed wrongly.
 * A room's events are stored and announced under the room's lock, so listeners hear them in id order.
 */
final class InMemoryEventStore implements EventBus, EventLog {
    private final Map<RoomName, RoomHistory> rooms = new ConcurrentHashMap<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final HistoryRetention retention;
    private final Clock clock;
    private final long base;

    InMemoryEventStore(HistoryRetention retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
        this.base = clock.millis() * 1000;
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        List<Event> stored = new ArrayList<>(drafts.size());
        for (List<EventDraft> run : RoomRuns.of(drafts, EventDraft::room)) {
            RoomHistory history = history(run.getFirst().room());
            synchronized (history) {
                List<Event> appended = new ArrayList<>(run.size());
                for (EventDraft draft : run) {
                    appended.add(history.append(draft, clock.instant()));
                }
                stored.addAll(appended);
                for (EventListener listener : listeners) {
                    listener.onEvents(appended);
                }
            }
        }
        return stored;
    }

    /** Every room's position before its first event. */
    EventId origin() {
        return new EventId(base);
    }

    @Override
    public void subscribe(EventListener listener) {
        listeners.add(listener);
    }

    @Override
    public Replay readSince(RoomName room, EventId since) {
        RoomHistory history = history(room);
        synchronized (history) {
            return history.since(since, clock.instant());
        }
    }

    @Override
    public Optional<EventId> lastId(RoomName room) {
        RoomHistory history = rooms.get(room);
        if (history == null) {
            return Optional.of(new EventId(base));
        }
        synchronized (history) {
            return history.lastId();
        }
    }

    private RoomHistory history(RoomName room) {
        return rooms.computeIfAbsent(room, r -> new RoomHistory(r, retention.maxEvents(), retention.maxAge(), base));
    }
}

package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.ResumeFailure;
import io.switchboard.domain.RoomName;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bus and log of one process on a JDBC database. Ids are 1, 2, 3... per room, assigned in
 * the transaction that stores the events, so they are contiguous and survive restarts; a batch
 * is one transaction. Listeners hear events after commit, under the room's lock, in id order.
 * Resume answers honour the configured retention exactly; rows outside it are deleted every
 * {@value #TRIM_EVERY} events of a room.
 */
final class JdbcEventStore implements EventBus, EventLog {
    static final int TRIM_EVERY = 100;
    private static final System.Logger LOG = System.getLogger(JdbcEventStore.class.getName());

    private final DbClient db;
    private final EventRows rows;
    private final HistoryRetention retention;
    private final Clock clock;
    private final Map<RoomName, RoomSequence> sequences = new ConcurrentHashMap<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

    JdbcEventStore(DbClient db, HistoryRetention retention, Clock clock) {
        this.db = db;
        this.rows = new EventRows(db);
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        List<RoomSequence> rooms = lockInNameOrder(drafts);
        try {
            Map<RoomName, Long> lastIds = new HashMap<>();
            for (RoomSequence room : rooms) {
                lastIds.put(room.room(), room.lastId(rows));
            }
            Map<RoomName, Long> previous = Map.copyOf(lastIds);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<Event> events = new ArrayList<>(drafts.size());
            for (EventDraft draft : drafts) {
                events.add(Event.from(draft, new EventId(lastIds.merge(draft.room(), 1L, Long::sum)), now));
            }
            store(events, rooms, lastIds);
            for (RoomSequence room : rooms) {
                room.committed(lastIds.get(room.room()));
            }
            for (Event event : events) {
                listeners.forEach(listener -> listener.onEvent(event));
            }
            for (RoomSequence room : rooms) {
                if (previous.get(room.room()) / TRIM_EVERY != lastIds.get(room.room()) / TRIM_EVERY) {
                    trim(room);
                }
            }
            return events;
        } finally {
            rooms.reversed().forEach(RoomSequence::unlock);
        }
    }

    /** Locks the rooms of {@code drafts} in name order, so two batches sharing rooms cannot deadlock. */
    private List<RoomSequence> lockInNameOrder(List<EventDraft> drafts) {
        Map<RoomName, RoomSequence> rooms = new TreeMap<>();
        for (EventDraft draft : drafts) {
            rooms.computeIfAbsent(draft.room(), this::sequence);
        }
        List<RoomSequence> locked = new ArrayList<>(rooms.values());
        locked.forEach(RoomSequence::lock);
        return locked;
    }

    @Override
    public void subscribe(EventListener listener) {
        listeners.add(listener);
    }

    @Override
    public Replay readSince(RoomName room, EventId since) {
        RoomSequence sequence = sequence(room);
        sequence.lock();
        try {
            long last = sequence.lastId(rows);
            Optional<EventId> lastId = Optional.of(new EventId(last));
            long position = since.value();
            if (position > last) {
                return new Replay.Lost(ResumeFailure.UNKNOWN_POSITION, oldestHeld(room, last), lastId);
            }
            if (position >= windowStart(last) - 1) {
                List<Event> gap = rows.after(room, position);
                boolean complete = gap.size() == last - position;
                if (complete && (gap.isEmpty() || !gap.getFirst().timestamp().isBefore(cutoff()))) {
                    return new Replay.Gap(gap, lastId);
                }
            }
            return new Replay.Lost(ResumeFailure.HISTORY_TRIMMED, oldestHeld(room, last), lastId);
        } finally {
            sequence.unlock();
        }
    }

    /** The room's last id; 0 for a room without events, which is also a valid {@code since}. */
    @Override
    public Optional<EventId> lastId(RoomName room) {
        RoomSequence sequence = sequence(room);
        sequence.lock();
        try {
            return Optional.of(new EventId(sequence.lastId(rows)));
        } finally {
            sequence.unlock();
        }
    }

    private void store(List<Event> events, List<RoomSequence> rooms, Map<RoomName, Long> lastIds) {
        Transactions.run(db, tx -> {
            for (RoomSequence room : rooms) {
                rows.saveLastId(tx, room.room(), lastIds.get(room.room()), room.stored());
            }
            for (Event event : events) {
                rows.insert(tx, event);
            }
        });
    }

    /**
     * Under the room's lock: the oldest event still held — the first one in the count window that
     * is not older than the age limit; everything before it counts as gone, as in
     * {@link io.switchboard.domain.RoomHistory}.
     */
    private Optional<EventId> oldestHeld(RoomName room, long last) {
        return last == 0 ? Optional.empty() : rows.firstSince(room, windowStart(last), cutoff());
    }

    private void trim(RoomSequence sequence) {
        try {
            long last = sequence.lastId(rows);
            long keepFrom = oldestHeld(sequence.room(), last).map(EventId::value).orElse(last + 1);
            rows.deleteBefore(sequence.room(), keepFrom);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete old events of room " + sequence.room(), e);
        }
    }

    private long windowStart(long last) {
        return Math.max(1, last - retention.maxEvents() + 1);
    }

    private Instant cutoff() {
        return clock.instant().minus(retention.maxAge());
    }

    private RoomSequence sequence(RoomName room) {
        return sequences.computeIfAbsent(room, RoomSequence::new);
    }
}

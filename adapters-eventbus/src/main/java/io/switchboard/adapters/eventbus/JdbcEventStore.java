package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
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
import java.util.function.Predicate;

/**
 * The bus and log of one process on a JDBC database. Ids are 1, 2, 3... per room, assigned in
 * the transaction that stores the events, so they are contiguous and survive restarts; a batch
 * is one transaction, and so are concurrent appends committed together ({@link GroupCommit}). Listeners hear events after commit, under the room's lock, in id order.
 * Resume answers and trimming: {@link RetainedHistory}.
 */
final class JdbcEventStore implements EventBus, EventLog, ClaimedAppends {
    static final int TRIM_EVERY = RetainedHistory.TRIM_EVERY;

    private final DbClient db;
    private final EventRows rows;
    private final RetainedHistory history;
    private final Clock clock;
    private final Map<RoomName, RoomSequence> sequences = new ConcurrentHashMap<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final GroupCommit groups;

    /** @param maxGroupEvents most events one commit takes from concurrent appends ({@link GroupCommit}) */
    JdbcEventStore(DbClient db, HistoryRetention retention, Clock clock, int maxGroupEvents) {
        this.groups = new GroupCommit(group -> appendTogether(group, tx -> true).orElseThrow(),
                drafts -> append(drafts, tx -> true).orElseThrow(), maxGroupEvents);
        this.db = db;
        this.rows = new EventRows(db);
        this.history = new RetainedHistory(rows, retention, clock);
        this.clock = clock;
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        return groups.append(drafts);
    }

    @Override
    public Optional<List<Event>> append(List<EventDraft> drafts, Predicate<DbTransaction> claim) {
        return appendTogether(List.of(drafts), claim).map(List::getFirst);
    }

    /**
     * Appends several requests' drafts in one transaction that first runs {@code claim}, ids
     * assigned in request order; their events, per request, or empty when the claim answered false.
     */
    private Optional<List<List<Event>>> appendTogether(List<List<EventDraft>> requests, Predicate<DbTransaction> claim) {
        List<EventDraft> drafts = requests.size() == 1 ? requests.getFirst() : requests.stream().flatMap(List::stream).toList();
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
            if (!store(events, rooms, lastIds, claim)) {
                return Optional.empty();
            }
            for (RoomSequence room : rooms) {
                room.committed(lastIds.get(room.room()));
            }
            for (List<Event> run : RoomRuns.of(events, Event::room)) {
                listeners.forEach(listener -> listener.onEvents(run));
            }
            for (RoomSequence room : rooms) {
                history.trimIfDue(room.room(), previous.get(room.room()), lastIds.get(room.room()));
            }
            return Optional.of(GroupCommit.perAppend(events, requests));
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
            return history.readSince(room, sequence.lastId(rows), since);
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

    private boolean store(List<Event> events, List<RoomSequence> rooms, Map<RoomName, Long> lastIds, Predicate<DbTransaction> claim) {
        boolean[] claimed = {false};
        Transactions.run(db, tx -> {
            if (!claim.test(tx)) {
                return;
            }
            claimed[0] = true;
            rows.saveLastIds(tx, lastIds);
            rows.insertAll(tx, events);
        });
        return claimed[0];
    }

    private RoomSequence sequence(RoomName room) {
        return sequences.computeIfAbsent(room, RoomSequence::new);
    }
}

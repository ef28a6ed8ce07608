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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The bus and log of one node of several sharing a PostgreSQL database. An append allocates
 * each room's ids in its transaction by updating the room's row, whose lock it holds until
 * commit (rooms in name order, so batches cannot deadlock): ids are 1, 2, 3... per room,
 * contiguous, and commit in id order on every node. The transaction also notifies channel
 * {@link #channel} with each room's new last id; {@link CommittedFeed} delivers to this node's
 * listeners, after commit, what any node committed.
 */
final class PostgresEventStore implements EventBus, EventLog, ClaimedAppends {
    private final DbClient db;
    private final EventRows rows;
    private final RetainedHistory history;
    private final Clock clock;
    private final CommittedFeed feed;
    private final String channel;

    PostgresEventStore(DbClient db, HistoryRetention retention, Clock clock, CommittedFeed feed, String channel) {
        this.db = db;
        this.rows = new EventRows(db);
        this.history = new RetainedHistory(rows, retention, clock);
        this.clock = clock;
        this.feed = feed;
        this.channel = channel;
    }

    /** The text a notification carries: the room's new last id and its name. */
    static String payload(RoomName room, long lastId) {
        return lastId + " " + room.value();
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        return append(drafts, tx -> true).orElseThrow();
    }

    @Override
    public Optional<List<Event>> append(List<EventDraft> drafts, Predicate<DbTransaction> claim) {
        Map<RoomName, Integer> counts = new TreeMap<>();
        drafts.forEach(draft -> counts.merge(draft.room(), 1, Integer::sum));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Event> events = new ArrayList<>(drafts.size());
        Map<RoomName, Long> lastIds = new HashMap<>();
        boolean[] claimed = {false};
        Transactions.run(db, tx -> {
            if (!claim.test(tx)) {
                return;
            }
            claimed[0] = true;
            Map<RoomName, Long> assigned = new HashMap<>();
            counts.forEach((room, count) -> {
                long last = rows.reserve(tx, room, count);
                lastIds.put(room, last);
                assigned.put(room, last - count);
            });
            for (EventDraft draft : drafts) {
                Event event = Event.from(draft, new EventId(assigned.merge(draft.room(), 1L, Long::sum)), now);
                rows.insert(tx, event);
                events.add(event);
            }
            lastIds.forEach((room, last) -> tx.get("SELECT pg_notify(?, ?) IS NULL AS sent", channel, payload(room, last)));
        });
        if (!claimed[0]) {
            return Optional.empty();
        }
        Map<RoomName, List<Event>> byRoom = new LinkedHashMap<>();
        events.forEach(event -> byRoom.computeIfAbsent(event.room(), room -> new ArrayList<>()).add(event));
        byRoom.forEach(feed::committed);
        counts.forEach((room, count) -> history.trimIfDue(room, lastIds.get(room) - count, lastIds.get(room)));
        return Optional.of(events);
    }

    @Override
    public void subscribe(EventListener listener) {
        feed.subscribe(listener);
    }

    @Override
    public Replay readSince(RoomName room, EventId since) {
        return history.readSince(room, lastCommitted(room), since);
    }

    /** The room's last id; 0 for a room without events, which is also a valid {@code since}. */
    @Override
    public Optional<EventId> lastId(RoomName room) {
        return Optional.of(new EventId(lastCommitted(room)));
    }

    private long lastCommitted(RoomName room) {
        return rows.lastId(room).orElse(0L);
    }
}

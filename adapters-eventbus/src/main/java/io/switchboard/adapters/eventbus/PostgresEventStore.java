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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The bus and log of one node of several sharing a PostgreSQL database. An append allocates
 * each room's ids in its transaction by updating the room's row, whose lock it holds until
 * commit (rooms in name order, so batches cannot deadlock): ids are 1, 2, 3... per room,
 * contiguous, and commit in id order on every node. Concurrent appends of this node share
 * transactions ({@link GroupCommit}), each sent to the server in one round trip
 * ({@link PostgresGroupAppend}): the rows of all rooms of a group are locked in name order. The transaction also notifies channel
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
    private final GroupCommit groups;
    private final PostgresGroupAppend pipelined;

    /** @param maxGroupEvents most events one commit takes from concurrent appends ({@link GroupCommit}) */
    PostgresEventStore(JdbcDatabase database, HistoryRetention retention, Clock clock, CommittedFeed feed, String channel,
                       int maxGroupEvents) {
        this.groups = new GroupCommit(this::appendGroup, drafts -> append(drafts, tx -> true).orElseThrow(), maxGroupEvents);
        this.pipelined = new PostgresGroupAppend(database, channel, GROUP_LOCK_WAIT);
        DbClient db = database.client();
        this.db = db;
        this.rows = new EventRows(db);
        this.history = new RetainedHistory(rows, retention, clock);
        this.clock = clock;
        this.feed = feed;
        this.channel = channel;
    }

    /**
     * How long a group's transaction waits for a room row locked elsewhere before its appends are
     * committed each on its own ({@link GroupCommit}). Well above a commit's time, so that only a lock
     * held by a long transaction (an application's outbox, a stalled node) sets it off.
     */
    static final Duration GROUP_LOCK_WAIT = Duration.ofMillis(200);

    /** As a group's first statement: waits for a lock at most {@link #GROUP_LOCK_WAIT} in this transaction; always true. */
    private static boolean boundLockWaits(DbTransaction tx) {
        tx.dml("SET LOCAL lock_timeout = '" + GROUP_LOCK_WAIT.toMillis() + "ms'");
        return true;
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
        List<EventDraft> drafts = flatten(requests);
        SortedMap<RoomName, Integer> counts = counts(drafts);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Event> events = new ArrayList<>(drafts.size());
        Map<RoomName, Long> lastIds = new HashMap<>();
        boolean[] claimed = {false};
        Transactions.run(db, tx -> {
            if (!claim.test(tx)) {
                return;
            }
            claimed[0] = true;
            if (counts.isEmpty()) {
                return; // a claim with no events (the bridge passing over envelopes it does not publish)
            }
            lastIds.putAll(rows.reserve(tx, counts));
            events.addAll(events(drafts, counts, lastIds, now));
            rows.insertAll(tx, events);
            announce(tx, lastIds);
        });
        if (!claimed[0]) {
            return Optional.empty();
        }
        return Optional.of(committed(requests, events, counts, lastIds));
    }

    /**
     * A group of this node's appends ({@link GroupCommit}): in one round trip
     * ({@link PostgresGroupAppend}) when it fits one statement, else statement by statement.
     */
    private List<List<Event>> appendGroup(List<List<EventDraft>> requests) {
        List<EventDraft> drafts = flatten(requests);
        if (drafts.size() > PostgresGroupAppend.MAX_EVENTS) {
            return appendTogether(requests, PostgresEventStore::boundLockWaits).orElseThrow();
        }
        SortedMap<RoomName, Integer> counts = counts(drafts);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<RoomName, Long> lastIds = pipelined.commit(counts, drafts, now);
        return committed(requests, events(drafts, counts, lastIds, now), counts, lastIds);
    }

    private static List<EventDraft> flatten(List<List<EventDraft>> requests) {
        return requests.size() == 1 ? requests.getFirst() : requests.stream().flatMap(List::stream).toList();
    }

    /** Each room's number of drafts, in name order (the order the room rows are locked in). */
    private static SortedMap<RoomName, Integer> counts(List<EventDraft> drafts) {
        SortedMap<RoomName, Integer> counts = new TreeMap<>();
        drafts.forEach(draft -> counts.merge(draft.room(), 1, Integer::sum));
        return counts;
    }

    /** The drafts as events: each room's ids end at its new last id, in the drafts' order. */
    private static List<Event> events(List<EventDraft> drafts, SortedMap<RoomName, Integer> counts, Map<RoomName, Long> lastIds,
                                      Instant now) {
        Map<RoomName, Long> assigned = new HashMap<>();
        counts.forEach((room, count) -> assigned.put(room, lastIds.get(room) - count));
        List<Event> events = new ArrayList<>(drafts.size());
        for (EventDraft draft : drafts) {
            events.add(Event.from(draft, new EventId(assigned.merge(draft.room(), 1L, Long::sum)), now));
        }
        return events;
    }

    /** After commit: this node's listeners hear the events, rooms are trimmed when due; the events per request. */
    private List<List<Event>> committed(List<List<EventDraft>> requests, List<Event> events, SortedMap<RoomName, Integer> counts,
                                        Map<RoomName, Long> lastIds) {
        Map<RoomName, List<Event>> byRoom = new LinkedHashMap<>();
        events.forEach(event -> byRoom.computeIfAbsent(event.room(), room -> new ArrayList<>()).add(event));
        byRoom.forEach(feed::committed);
        counts.forEach((room, count) -> history.trimIfDue(room, lastIds.get(room) - count, lastIds.get(room)));
        return GroupCommit.perAppend(events, requests);
    }

    /** One statement for every room's notification (each leaves at commit). */
    private void announce(DbTransaction tx, Map<RoomName, Long> lastIds) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<Object> parameters = new ArrayList<>(lastIds.size() * 2);
        lastIds.forEach((room, last) -> {
            sql.append(parameters.isEmpty() ? "" : ", ").append("pg_notify(?, ?) IS NULL AS sent").append(parameters.size() / 2);
            parameters.add(channel);
            parameters.add(payload(room, last));
        });
        tx.get(sql.toString(), parameters.toArray());
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

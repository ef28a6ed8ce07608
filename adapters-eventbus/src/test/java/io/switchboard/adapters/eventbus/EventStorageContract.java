package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.port.in.PublishReceipt;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.application.port.RoomState;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.ResumeFailure;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every storage behind {@link EventStorage} promises the hub: the {@code EventBus},
 * {@code EventLog}, {@code PublishReceipts}, {@code AuditLog}, {@code RoomDirectory},
 * {@code StateStore} and {@code RoomMembers} ports. Each storage runs it through a subclass
 * that says how to open a fresh one.
 */
abstract class EventStorageContract implements HistoryReadContract {
    static final RoomName ROOM_A = new RoomName("orders:1");
    static final RoomName ROOM_B = new RoomName("orders:2");

    final TestClock clock = new TestClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<EventStorage> opened = new ArrayList<>();

    /** A new, empty storage keeping history as {@code retention} says, on {@link #clock}. */
    abstract EventStorage open(HistoryRetention retention);

    /**
     * Makes every later append holding an event of {@code type} fail inside {@code storage};
     * false when this storage has no way to fail an append.
     */
    abstract boolean failAppendsOfType(EventStorage storage, String type);

    @Override
    public TestClock testClock() {
        return clock;
    }

    @Override
    public EventStorage openTracked(HistoryRetention retention) {
        EventStorage storage = open(retention);
        opened.add(storage);
        return storage;
    }

    @AfterEach
    void closeStorages() {
        opened.forEach(EventStorage::close);
    }

    @Test
    void appendAssignsContiguousIncreasingIdsPerRoomInDraftOrder() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        List<Event> first = storage.bus().append(List.of(draft(ROOM_A, "a1"), draft(ROOM_B, "b1"), draft(ROOM_A, "a2")));
        List<Event> second = storage.bus().append(List.of(draft(ROOM_A, "a3")));

        assertEquals(List.of("a1", "b1", "a2"), first.stream().map(Event::type).toList());
        assertEquals(List.of(ROOM_A, ROOM_B, ROOM_A), first.stream().map(Event::room).toList());
        long a1 = first.get(0).id().value();
        assertEquals(a1 + 1, first.get(2).id().value());
        assertEquals(a1 + 2, second.getFirst().id().value());
        assertEquals(Optional.of(second.getFirst().id()), storage.log().lastId(ROOM_A));
        assertEquals(Optional.of(first.get(1).id()), storage.log().lastId(ROOM_B));
    }

    /**
     * The bridge passes over an intake event it publishes nothing for (a malformed or unmatched
     * envelope): the position moves with no events stored, and the next advance stores its events.
     */
    @Test
    void aBridgeAdvanceWithoutEventsMovesThePositionAndTheNextStoresItsEvents() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        RoomName intake = new RoomName("$domain-events");
        EventId start = storage.bridgePositions().position(intake);
        EventId passed = new EventId(start.value() + 1);
        assertEquals(Optional.of(List.of()), storage.bridgePositions().advance(intake, start, passed, List.of()));
        assertEquals(passed, storage.bridgePositions().position(intake));
        Optional<List<Event>> next = storage.bridgePositions().advance(intake, passed, new EventId(passed.value() + 1),
                List.of(draft(ROOM_A, "bridged")));
        assertEquals(List.of("bridged"), next.orElseThrow().stream().map(Event::type).toList());
        assertEquals(Optional.of(next.orElseThrow().getFirst().id()), storage.log().lastId(ROOM_A));
        assertEquals(Optional.empty(), storage.bridgePositions().advance(intake, start, passed, List.of()),
                "a claim from a position that has moved stores nothing");
    }

    /** A batch is all or none: a failure on its last event leaves no trace in any of its rooms, and burns no id. */
    @Test
    void batchThatFailsStoresNothingAndAnnouncesNothing() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        Event earlier = storage.bus().append(List.of(draft(ROOM_A, "before"))).getFirst();
        EventId positionB = storage.log().lastId(ROOM_B).orElseThrow();
        List<Event> heard = new CopyOnWriteArrayList<>();
        storage.bus().subscribe(heard::add);
        assumeTrue(failAppendsOfType(storage, "poison"), "this storage has no way to fail an append");

        assertThrows(RuntimeException.class, () -> storage.bus().append(
                List.of(draft(ROOM_A, "lost"), draft(ROOM_B, "lost"), draft(ROOM_B, "poison"))));

        assertEquals(List.of(), heard);
        assertEquals(Optional.of(earlier.id()), storage.log().lastId(ROOM_A));
        assertEquals(Optional.of(positionB), storage.log().lastId(ROOM_B));
        assertEquals(List.of(), gap(storage.log().readSince(ROOM_A, earlier.id())));
        assertEquals(List.of(), gap(storage.log().readSince(ROOM_B, positionB)));
        Event next = storage.bus().append(List.of(draft(ROOM_A, "after"))).getFirst();
        assertEquals(earlier.id().value() + 1, next.id().value());
    }

    /**
     * A batch is announced in runs, so the hub fans out a publish of many events with one queue
     * operation per subscriber: each run is consecutive events of one room in id order, readable
     * already, and together the runs hold every event once.
     */
    @Test
    void aBatchIsHeardAsRunsOfConsecutiveEventsOfOneRoom() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        List<List<Event>> runs = new CopyOnWriteArrayList<>();
        List<String> unreadable = new CopyOnWriteArrayList<>();
        storage.bus().subscribe(new EventBus.EventListener() {
            @Override
            public void onEvent(Event event) {
                onEvents(List.of(event));
            }

            @Override
            public void onEvents(List<Event> run) {
                runs.add(List.copyOf(run));
                Event first = run.getFirst();
                if (!(storage.log().readSince(first.room(), new EventId(first.id().value() - 1)) instanceof Replay.Gap gap)
                        || !gap.events().containsAll(run)) {
                    unreadable.add(run.toString());
                }
            }
        });

        List<Event> stored = storage.bus().append(List.of(draft(ROOM_A, "a1"), draft(ROOM_A, "a2"), draft(ROOM_B, "b1"),
                draft(ROOM_B, "b2"), draft(ROOM_B, "b3"), draft(ROOM_A, "a3")));

        assertEquals(List.of(), unreadable, "announced before it could be read");
        List<Event> heard = new ArrayList<>();
        for (List<Event> run : runs) {
            assertEquals(1, run.stream().map(Event::room).distinct().count(), "one room per run: " + run);
            for (int i = 1; i < run.size(); i++) {
                assertEquals(run.get(i - 1).id().value() + 1, run.get(i).id().value(), "consecutive ids: " + run);
            }
            heard.addAll(run);
        }
        assertEquals(Set.copyOf(stored), Set.copyOf(heard));
        assertEquals(stored.size(), heard.size(), "each event once: " + runs);
        assertTrue(runs.size() <= 3, "a1 a2 | b1 b2 b3 | a3 (or a room's events together): " + runs);
    }

    /** Appends from several threads: each room's listener calls come once per event, in id order, each readable already. */
    @Test
    void listenersHearEachEventOnceInIdOrderOnlyOnceItIsReadable() throws Exception {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        Map<RoomName, List<Long>> heard = new ConcurrentHashMap<>();
        List<String> unreadable = new CopyOnWriteArrayList<>();
        storage.bus().subscribe(event -> {
            heard.computeIfAbsent(event.room(), r -> Collections.synchronizedList(new ArrayList<>())).add(event.id().value());
            Replay replay = storage.log().readSince(event.room(), new EventId(event.id().value() - 1));
            if ((!(replay instanceof Replay.Gap gap) || !gap.events().contains(event)) && unreadable.size() < 5) {
                unreadable.add(event.room() + "/" + event.id() + ": " + replay);
            }
        });
        int threads = 4;
        int appendsPerThread = 24;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < appendsPerThread; i++) {
                        storage.bus().append(i % 2 == 0 ? List.of(draft(ROOM_A, "single"))
                                : List.of(draft(ROOM_B, "pair"), draft(ROOM_A, "pair"), draft(ROOM_B, "pair")));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(List.of(), unreadable);
        // every append holds one event of room A; every second one also two of room B
        assertContiguous(heard.get(ROOM_A), threads * appendsPerThread);
        assertContiguous(heard.get(ROOM_B), threads * appendsPerThread);
        assertEquals(heard.get(ROOM_A).getLast(), storage.log().lastId(ROOM_A).orElseThrow().value());
    }

    /**
     * SPEC 17 (group commit): 32 publishers append singles and two-room batches across 8 rooms at
     * once. Every acknowledged event is stored once, with its own data; each room's ids are contiguous;
     * an append acknowledged before another began has the lower id in every room they share; the
     * listener hears each room's events once, in id order.
     */
    @Test
    void concurrentPublishersAcrossRoomsGetEveryAcknowledgedEventStoredOnceInCommitOrder() throws Exception {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        int rooms = 8;
        int publishers = 32;
        int appendsEach = 20;
        Map<RoomName, List<Long>> heard = new ConcurrentHashMap<>();
        storage.bus().subscribe(event ->
                heard.computeIfAbsent(event.room(), r -> Collections.synchronizedList(new ArrayList<>())).add(event.id().value()));
        List<Acknowledged> acknowledged = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(publishers, appendsEach, (publisher, i) -> {
            RoomName room = new RoomName("load:" + (publisher % rooms));
            RoomName other = new RoomName("load:" + ((publisher + 1 + i) % rooms));
            String data = "{\"p\":" + publisher + ",\"i\":" + i + "}";
            List<EventDraft> drafts = i % 2 == 0 || other.equals(room)
                    ? List.of(new EventDraft(room, "single", data, Map.of(), false, null))
                    : List.of(new EventDraft(room, "pair", data, Map.of(), false, null),
                    new EventDraft(other, "pair", data, Map.of(), false, null));
            long started = System.nanoTime();
            List<Event> stored = storage.bus().append(drafts);
            acknowledged.add(new Acknowledged(started, System.nanoTime(), stored));
        });

        Map<RoomName, Map<Long, String>> expected = new java.util.TreeMap<>(java.util.Comparator.comparing(RoomName::value));
        for (Acknowledged ack : acknowledged) {
            for (Event event : ack.events()) {
                String earlier = expected.computeIfAbsent(event.room(), r -> new java.util.TreeMap<>()).put(event.id().value(), event.data());
                assertEquals(null, earlier, "id " + event.room() + "/" + event.id() + " acknowledged twice");
            }
        }
        for (Map.Entry<RoomName, Map<Long, String>> room : expected.entrySet()) {
            Map<Long, String> ids = room.getValue();
            long first = ids.keySet().iterator().next();
            assertEquals(LongStream.range(first, first + ids.size()).boxed().toList(), List.copyOf(ids.keySet()), "ids of " + room.getKey());
            List<Event> stored = gap(storage.log().readSince(room.getKey(), new EventId(first - 1)));
            assertEquals(List.copyOf(ids.values()), stored.stream().map(Event::data).toList(), "stored once, in id order: " + room.getKey());
            assertEquals(List.copyOf(ids.keySet()), heard.get(room.getKey()), "heard once, in id order: " + room.getKey());
        }
        for (Acknowledged before : acknowledged) {
            for (Acknowledged after : acknowledged) {
                if (before.acknowledgedAt() < after.startedAt()) {
                    for (Event a : before.events()) {
                        for (Event b : after.events()) {
                            assertTrue(!a.room().equals(b.room()) || a.id().value() < b.id().value(),
                                    "acknowledged " + a.room() + "/" + a.id() + " before " + b.room() + "/" + b.id() + " was appended");
                        }
                    }
                }
            }
        }
    }

    /**
     * A bad row fails only its own append, also when it shares a commit with others: concurrent
     * appends of which some are rejected by the database; the others are stored and heard, and the
     * rejected ones burn no id.
     */
    @Test
    void aRejectedAppendAmongConcurrentOnesFailsAloneAndBurnsNoId() throws Exception {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        storage.bus().append(List.of(draft(ROOM_A, "before")));
        assumeTrue(failAppendsOfType(storage, "poison"), "this storage has no way to fail an append");
        List<Long> heard = Collections.synchronizedList(new ArrayList<>());
        storage.bus().subscribe(event -> heard.add(event.id().value()));
        int publishers = 16;
        int appendsEach = 10;
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(publishers, appendsEach, (publisher, i) -> {
            boolean bad = (publisher + i) % 4 == 0;
            try {
                storage.bus().append(List.of(draft(ROOM_A, bad ? "poison" : "fine")));
                outcomes.add(bad ? "poison stored" : "fine");
            } catch (RuntimeException e) {
                outcomes.add(bad ? "poison refused" : "fine refused: " + e);
            }
        });

        long fine = outcomes.stream().filter("fine"::equals).count();
        assertEquals(publishers * appendsEach / 4, outcomes.stream().filter("poison refused"::equals).count(), outcomes.toString());
        assertEquals(publishers * appendsEach - publishers * appendsEach / 4, fine, outcomes.toString());
        assertEquals(LongStream.rangeClosed(2, 1 + fine).boxed().toList(), heard.stream().sorted().toList());
        assertEquals(Optional.of(new EventId(1 + fine)), storage.log().lastId(ROOM_A));
        List<Event> stored = gap(storage.log().readSince(ROOM_A, new EventId(1)));
        assertEquals(fine, stored.size());
        assertTrue(stored.stream().allMatch(e -> e.type().equals("fine")), stored.toString());
    }

    private record Acknowledged(long startedAt, long acknowledgedAt, List<Event> events) {
    }

    /** What one publisher does the {@code i}-th time. */
    private interface PublisherStep {
        void run(int publisher, int i);
    }

    /** {@code publishers} threads at once, each running {@code step} {@code times} times; rethrows the first failure. */
    private static void runConcurrently(int publishers, int times, PublisherStep step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < publishers; t++) {
                int publisher = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < times; i++) {
                        step.run(publisher, i);
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readSinceReplaysExactlyTheEventsAfterIt() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        List<Event> events = appendEach(storage, ROOM_A, 5);
        storage.bus().append(List.of(draft(ROOM_B, "elsewhere")));

        Replay replay = storage.log().readSince(ROOM_A, events.get(1).id());

        assertEquals(new Replay.Gap(events.subList(2, 5), Optional.of(events.get(4).id())), replay);
        assertEquals(new Replay.Gap(List.of(), Optional.of(events.get(4).id())),
                storage.log().readSince(ROOM_A, events.get(4).id()));
    }

    @Test
    void readSinceBeforeTheKeptCountIsHistoryTrimmed() {
        EventStorage storage = openTracked(new HistoryRetention(3, Duration.ofHours(24)));
        List<Event> events = appendEach(storage, ROOM_A, 5);
        Optional<EventId> last = Optional.of(events.get(4).id());

        assertEquals(new Replay.Lost(ResumeFailure.HISTORY_TRIMMED, Optional.of(events.get(2).id()), last),
                storage.log().readSince(ROOM_A, events.get(0).id()));
        assertEquals(new Replay.Gap(events.subList(2, 5), last), storage.log().readSince(ROOM_A, events.get(1).id()));
    }

    @Test
    void readSinceOlderThanTheKeptAgeIsHistoryTrimmed() {
        EventStorage storage = openTracked(new HistoryRetention(1000, Duration.ofHours(1)));
        EventId before = storage.log().lastId(ROOM_A).orElseThrow();
        List<Event> old = appendEach(storage, ROOM_A, 2);
        clock.advance(Duration.ofMinutes(40));
        List<Event> recent = appendEach(storage, ROOM_A, 2);
        clock.advance(Duration.ofMinutes(30));
        Optional<EventId> last = Optional.of(recent.get(1).id());

        Replay.Lost trimmed = new Replay.Lost(ResumeFailure.HISTORY_TRIMMED, Optional.of(recent.get(0).id()), last);
        assertEquals(trimmed, storage.log().readSince(ROOM_A, before));
        assertEquals(trimmed, storage.log().readSince(ROOM_A, old.get(0).id()));
        assertEquals(new Replay.Gap(recent, last), storage.log().readSince(ROOM_A, old.get(1).id()));
    }

    @Test
    void readSinceAheadOfTheRoomIsUnknownPosition() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        List<Event> events = appendEach(storage, ROOM_A, 2);
        EventId ahead = new EventId(events.get(1).id().value() + 1);

        Replay replay = storage.log().readSince(ROOM_A, ahead);

        assertEquals(new Replay.Lost(ResumeFailure.UNKNOWN_POSITION, Optional.of(events.get(0).id()),
                Optional.of(events.get(1).id())), replay);
        EventId emptyRoom = storage.log().lastId(ROOM_B).orElseThrow();
        Replay.Lost lost = assertInstanceOf(Replay.Lost.class,
                storage.log().readSince(ROOM_B, new EventId(emptyRoom.value() + 5)));
        assertEquals(ResumeFailure.UNKNOWN_POSITION, lost.reason());
    }

    /** A room without events still has a position, and resuming from it later replays its first events. */
    @Test
    void positionOfAnEmptyRoomIsAResumableSince() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        EventId empty = storage.log().lastId(ROOM_A).orElseThrow();

        assertEquals(new Replay.Gap(List.of(), Optional.of(empty)), storage.log().readSince(ROOM_A, empty));
        List<Event> events = appendEach(storage, ROOM_A, 2);
        assertTrue(events.get(0).id().after(empty), events.get(0) + " should come after " + empty);
        assertEquals(new Replay.Gap(events, Optional.of(events.get(1).id())), storage.log().readSince(ROOM_A, empty));
    }

    @Test
    void receiptsAreRememberedForTheIdempotencyWindow() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        PublishReceipt receipt = new PublishReceipt(List.of(Map.of("orders:1", "7"), Map.of("orders:2", "3")), true);

        assertEquals(Optional.empty(), storage.receipts().find("key-1"));
        storage.receipts().remember("key-1", receipt);
        assertEquals(Optional.of(receipt), storage.receipts().find("key-1"));
        assertEquals(Optional.empty(), storage.receipts().find("key-2"));
        clock.advance(EventStorage.IDEMPOTENCY_WINDOW.minusSeconds(1));
        assertEquals(Optional.of(receipt), storage.receipts().find("key-1"));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Optional.empty(), storage.receipts().find("key-1"));

        PublishReceipt later = new PublishReceipt(List.of(Map.of("orders:1", "9")), false);
        storage.receipts().remember("key-1", later);
        assertEquals(Optional.of(later), storage.receipts().find("key-1"));
    }

    /** The audit trail's writer stores what queued together: numbered in order, each once, read back as written. */
    @Test
    void auditEntriesAppendedTogetherAreNumberedInOrder() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        Instant t = Instant.parse("2026-11-23T09:00:00Z");
        List<AuditEntry> written = List.of(
                new AuditEntry(0, t, "event.published", null, "app", "127.0.0.1", "/api/v1/events", "accepted", "r:1", "1 event"),
                new AuditEntry(0, t.plusMillis(1), "event.published", null, "app", "127.0.0.1", "/api/v1/events", "accepted", "r:2", null),
                new AuditEntry(0, t.plusMillis(2), "ws.connected", "c-1", null, "10.0.0.1", "/ws", "ok", null, "x"));
        List<AuditEntry> stored = storage.audit().appendAll(written);

        assertEquals(3, stored.size());
        assertTrue(stored.get(0).seq() > 0 && stored.get(0).seq() < stored.get(1).seq() && stored.get(1).seq() < stored.get(2).seq(),
                stored.toString());
        assertEquals(stored, storage.audit().query(t, AuditFilter.all(), 10));
    }

    @Test
    void auditEntriesComeBackNumberedOldestFirstFilteredBySinceUserRoomAddressAndType() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        Instant start = clock.instant();
        AuditEntry opened = audit(storage, start, "connection.opened", "alice", null, "10.0.0.1");
        AuditEntry failed = audit(storage, start.plusSeconds(1), "auth.failed", null, null, "10.0.0.2");
        AuditEntry denied = audit(storage, start.plusSeconds(2), "authz.denied", "bob", ROOM_A.value(), "10.0.0.1");
        AuditEntry expired = audit(storage, start.plusSeconds(3), "auth.expired", "alice", ROOM_B.value(), "10.0.0.1");

        assertTrue(opened.seq() < failed.seq() && failed.seq() < denied.seq() && denied.seq() < expired.seq(),
                List.of(opened, failed, denied, expired).toString());
        assertEquals(List.of(opened, failed, denied, expired), storage.audit().query(null, AuditFilter.all(), 100));
        assertEquals(List.of(opened, failed), storage.audit().query(null, AuditFilter.all(), 2));
        assertEquals(List.of(denied, expired), storage.audit().query(start.plusSeconds(2), AuditFilter.all(), 100));
        assertEquals(List.of(opened, expired), storage.audit().query(null, new AuditFilter(null, "alice", null, null), 100));
        assertEquals(List.of(denied), storage.audit().query(null, new AuditFilter(null, null, ROOM_A.value(), null), 100));
        assertEquals(List.of(opened, denied, expired), storage.audit().query(null, new AuditFilter(null, null, null, "10.0.0.1"), 100));
        assertEquals(List.of(failed, expired), storage.audit().query(null, new AuditFilter(Set.of("auth."), null, null, null), 100));
        assertEquals(List.of(failed), storage.audit().query(null, new AuditFilter(Set.of("auth."), null, null, null), 1));
        assertEquals(List.of(opened, denied), storage.audit().query(null,
                new AuditFilter(Set.of("connection.opened", "authz.denied"), null, null, null), 100));
        assertEquals(List.of(expired), storage.audit().query(start.plusSeconds(1),
                new AuditFilter(Set.of("auth."), "alice", ROOM_B.value(), "10.0.0.1"), 100));
    }

    @Test
    void declaredRoomsAreDeclaredOnceUntilRemoved() {
        EventStorage storage = openTracked(HistoryRetention.defaults());

        assertFalse(storage.rooms().declared(ROOM_A));
        assertTrue(storage.rooms().declare(ROOM_A));
        assertFalse(storage.rooms().declare(ROOM_A));
        assertTrue(storage.rooms().declared(ROOM_A));
        assertFalse(storage.rooms().declared(ROOM_B));
        assertTrue(storage.rooms().remove(ROOM_A));
        assertFalse(storage.rooms().remove(ROOM_A));
        assertFalse(storage.rooms().declared(ROOM_A));
        assertTrue(storage.rooms().declare(ROOM_A));
    }

    /** Declaring one room and adding one member from several threads at once: exactly one declaration is new, none fails. */
    @Test
    void concurrentDeclarationsAndAddsOfTheSameRoomAndMemberCountOnce() throws Exception {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                RoomName room = new RoomName("race:" + round);
                List<Future<Boolean>> declared = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    declared.add(pool.submit(() -> {
                        storage.members().add(room, "alice");
                        return storage.rooms().declare(room);
                    }));
                }
                int fresh = 0;
                for (Future<Boolean> answer : declared) {
                    fresh += answer.get() ? 1 : 0;
                }
                assertEquals(1, fresh, "declarations of " + room + " answered as new");
                assertEquals(List.of("alice"), storage.members().members(room));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stateDocumentsKeepTheLatestPutPerRoom() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        RoomState first = new RoomState(ROOM_A, "{\"progress\":0.1}", new EventId(3));
        RoomState latest = new RoomState(ROOM_A, "{\"progress\":0.9,\"text\":\"héllo\"}", new EventId(7));

        assertEquals(Optional.empty(), storage.states().get(ROOM_A));
        storage.states().put(first);
        assertEquals(Optional.of(first), storage.states().get(ROOM_A));
        storage.states().put(latest);
        assertEquals(Optional.of(latest), storage.states().get(ROOM_A));
        assertEquals(Optional.empty(), storage.states().get(ROOM_B));
    }

    @Test
    void membersAreAddedOnceRemovedAndListedSorted() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        storage.members().add(ROOM_A, "carol");
        storage.members().add(ROOM_A, "alice");
        storage.members().add(ROOM_A, "bob");
        storage.members().add(ROOM_A, "alice");
        storage.members().add(ROOM_B, "dave");

        assertEquals(List.of("alice", "bob", "carol"), storage.members().members(ROOM_A));
        assertTrue(storage.members().isMember(ROOM_A, "bob"));
        assertFalse(storage.members().isMember(ROOM_A, "dave"));
        assertTrue(storage.members().remove(ROOM_A, "bob"));
        assertFalse(storage.members().remove(ROOM_A, "bob"));
        assertFalse(storage.members().isMember(ROOM_A, "bob"));
        assertEquals(List.of("alice", "carol"), storage.members().members(ROOM_A));
        assertEquals(List.of("dave"), storage.members().members(ROOM_B));
        assertEquals(List.of(), storage.members().members(new RoomName("orders:9")));
    }

    /** Appends an audit entry and returns it as stored, with its number. */
    static AuditEntry audit(EventStorage storage, Instant time, String type, String user, String room, String ip) {
        AuditEntry stored = storage.audit().append(new AuditEntry(0, time, type, "c-" + type, user, ip, "/ws", "ok", room,
                "detail of " + type));
        assertEquals(new AuditEntry(stored.seq(), time, type, "c-" + type, user, ip, "/ws", "ok", room, "detail of " + type), stored);
        return stored;
    }

    static EventDraft draft(RoomName room, String type) {
        return new EventDraft(room, type, "{\"n\":1}", Map.of(), false, null);
    }

    /** {@code count} events appended one by one. */
    static List<Event> appendEach(EventStorage storage, RoomName room, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(storage.bus().append(List.of(draft(room, "e" + i))).getFirst());
        }
        return events;
    }

    static List<Event> gap(Replay replay) {
        return assertInstanceOf(Replay.Gap.class, replay).events();
    }

    private static void assertContiguous(List<Long> ids, int count) {
        assertEquals(count, ids.size(), "events heard");
        long first = ids.getFirst();
        assertEquals(LongStream.range(first, first + count).boxed().toList(), ids);
    }
}

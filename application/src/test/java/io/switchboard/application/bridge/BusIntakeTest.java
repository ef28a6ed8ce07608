package io.switchboard.application.bridge;

import io.switchboard.application.json.FieldEdits;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.port.out.BridgePositions;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.ResumeFailure;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bus intake: envelopes in the intake room bridged once, in order, resumed from the stored position. */
class BusIntakeTest {
    private static final RoomName INTAKE = new RoomName("$domain-events");
    private static final RoomName SESSION = new RoomName("session:s-1");

    private final Store store = new Store();
    private final HubMetrics metrics = new HubMetrics();

    private static BridgeRule sessionRule(String room) {
        Map<String, Template> meta = new LinkedHashMap<>();
        meta.put("updateType", Template.parse("session.metadata"));
        meta.put("correlationId", Template.parse("{metadata.correlationId}"));
        return new BridgeRule(Set.of("session.renamed"), "Session", Template.parse(room), "dashboard.update", meta,
                FieldEdits.NONE, false, null);
    }

    private BusIntake node(HubMetrics metrics, List<BridgeRule> rules) {
        Function<EventBus, PublishEventsUseCase> via = bus -> PlainPublishing.onto(bus, metrics);
        return new BusIntake(INTAKE, new DomainEventBridge(rules, via.apply(store), metrics), via, store, store, metrics, Runnable::run);
    }

    private BusIntake node() {
        return node(metrics, List.of(sessionRule("session:{aggregateId}")));
    }

    private static String envelope(String aggregateId, String title) {
        return "{\"eventType\":\"session.renamed\",\"aggregateType\":\"Session\",\"aggregateId\":\"" + aggregateId
                + "\",\"payload\":{\"title\":\"" + title + "\"},\"occurredAt\":\"2026-01-01T00:00:00Z\","
                + "\"metadata\":{\"correlationId\":\"c-" + title + "\"},\"eventId\":\"ignored\"}";
    }

    private void intake(String... data) {
        List<EventDraft> drafts = new ArrayList<>();
        for (String d : data) {
            drafts.add(new EventDraft(INTAKE, "domain.event", d, Map.of(), false, null));
        }
        store.append(drafts);
    }

    @Test
    void anEnvelopeInTheIntakeRoomIsPublishedByTheRules() {
        intake(envelope("s-1", "New"));
        assertEquals(1, node().drain());
        List<Event> session = store.events(SESSION);
        assertEquals(1, session.size());
        Event event = session.getFirst();
        assertEquals("dashboard.update", event.type());
        assertEquals("{\"title\":\"New\"}", event.data());
        assertEquals(Map.of("updateType", "session.metadata", "correlationId", "c-New"), event.meta());
        assertEquals(new EventId(1), store.position(INTAKE));
        assertEquals(1L, metrics.bridged().get("published"));
    }

    @Test
    void eventsAreBridgedInIntakeOrderAndOnlyOnce() {
        intake(envelope("s-1", "a"), envelope("s-1", "b"), envelope("s-1", "c"));
        BusIntake node = node();
        assertEquals(3, node.drain());
        assertEquals(0, node.drain());
        assertEquals(List.of("{\"title\":\"a\"}", "{\"title\":\"b\"}", "{\"title\":\"c\"}"),
                store.events(SESSION).stream().map(Event::data).toList());
    }

    /** A restarted node (a new intake on the same storage) goes on after the last event bridged. */
    @Test
    void aRestartedNodeResumesAfterTheStoredPosition() {
        intake(envelope("s-1", "a"));
        node().drain();
        intake(envelope("s-1", "b"), envelope("s-1", "c"));
        assertEquals(2, node().drain());
        assertEquals(3, store.events(SESSION).size());
        assertEquals(new EventId(3), store.position(INTAKE));
    }

    @Test
    void malformedEnvelopesAreCountedAndSkippedNotRetried() {
        intake("not json", "[1,2]", "{\"aggregateId\":\"s-1\"}", "{\"eventType\":\"session.renamed\",\"payload\":[1]}",
                "{\"eventType\":5}", envelope("s-1", "after"));
        BusIntake node = node();
        assertEquals(6, node.drain());
        assertEquals(0, node.drain());
        assertEquals(5L, metrics.bridged().get("rejected"));
        assertEquals(List.of("{\"title\":\"after\"}"), store.events(SESSION).stream().map(Event::data).toList());
        assertEquals(new EventId(6), store.position(INTAKE));
    }

    @Test
    void unmatchedAndUnroutableAreCountedAndPassed() {
        intake("{\"eventType\":\"other\"}", "{\"eventType\":\"session.renamed\",\"aggregateType\":\"Session\"}", envelope("s-1", "x"));
        assertEquals(3, node().drain());
        assertEquals(Map.of("published", 1L, "unmatched", 1L, "unroutable", 1L, "rejected", 0L), metrics.bridged());
        assertEquals(new EventId(3), store.position(INTAKE));
    }

    /** A rule whose room is the intake room (here via the payload) would feed the bridge its own output. */
    @Test
    void theBridgeNeverPublishesIntoTheIntakeRoom() {
        BusIntake node = node(metrics, List.of(sessionRule("{payload.title}")));
        intake(envelope("s-1", "$domain-events"));
        assertEquals(1, node.drain());
        assertEquals(1, store.events(INTAKE).size());
        assertEquals(1L, metrics.bridged().get("rejected"));
    }

    /** Two nodes hear every intake event; the position's compare-and-set lets exactly one bridge each. */
    @Test
    void twoNodesBridgeEachEventExactlyOnce() throws Exception {
        HubMetrics other = new HubMetrics();
        BusIntake a = node();
        BusIntake b = node(other, List.of(sessionRule("session:{aggregateId}")));
        int count = 300;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger bridged = new AtomicInteger();
            List<Future<?>> nodes = new ArrayList<>();
            for (BusIntake node : List.of(a, b)) {
                nodes.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < count; i++) {
                        bridged.addAndGet(node.drain());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (int i = 0; i < count; i++) {
                intake(envelope("s-1", Integer.toString(i)));
            }
            for (Future<?> node : nodes) {
                node.get(30, TimeUnit.SECONDS);
            }
            bridged.addAndGet(a.drain() + b.drain());
            assertEquals(count, bridged.get());
        } finally {
            pool.shutdownNow();
        }
        List<String> titles = store.events(SESSION).stream().map(Event::data).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add("{\"title\":\"" + i + "\"}");
        }
        assertEquals(expected, titles, "each once, in intake order");
        assertEquals((long) count, metrics.bridged().get("published") + other.bridged().get("published"));
    }

    /** Intake events trimmed from the history before they were bridged are skipped, not waited for forever. */
    @Test
    void eventsTrimmedBeforeBridgingAreSkipped() {
        intake(envelope("s-1", "gone"), envelope("s-1", "gone too"), envelope("s-1", "kept"));
        store.trimmedBelow = 3;
        assertEquals(1, node().drain());
        assertEquals(List.of("{\"title\":\"kept\"}"), store.events(SESSION).stream().map(Event::data).toList());
    }

    @Test
    void onlyIntakeRoomEventsWakeTheWorker() {
        AtomicInteger runs = new AtomicInteger();
        Function<EventBus, PublishEventsUseCase> via = bus -> PlainPublishing.onto(bus, metrics);
        BusIntake intake = new BusIntake(INTAKE, new DomainEventBridge(List.of(), via.apply(store), metrics), via, store, store, metrics,
                task -> {
                    runs.incrementAndGet();
                    task.run();
                });
        intake.onEvent(Event.from(new EventDraft(SESSION, "t", "null", Map.of(), false, null), new EventId(1), Instant.EPOCH));
        assertEquals(0, runs.get());
        intake(envelope("s-1", "x"));
        intake.onEvent(store.events(INTAKE).getFirst());
        assertEquals(1, runs.get());
        assertEquals(1L, metrics.bridged().get("unmatched"));
        assertThrows(IllegalArgumentException.class, () -> new BusIntake(SESSION, null, via, store, store, metrics, Runnable::run));
    }

    /** Bus, log and positions of one storage; its advance is atomic, as a database transaction is. */
    private static final class Store implements EventBus, EventLog, BridgePositions {
        private final Map<RoomName, List<Event>> rooms = new HashMap<>();
        private final Map<RoomName, EventId> positions = new HashMap<>();
        private int lostClaims;
        private long trimmedBelow;

        @Override
        public synchronized List<Event> append(List<EventDraft> drafts) {
            List<Event> events = new ArrayList<>();
            for (EventDraft draft : drafts) {
                List<Event> room = rooms.computeIfAbsent(draft.room(), r -> new ArrayList<>());
                Event event = Event.from(draft, new EventId(room.size() + 1), Instant.EPOCH);
                room.add(event);
                events.add(event);
            }
            return events;
        }

        @Override
        public void subscribe(EventListener listener) {
        }

        synchronized List<Event> events(RoomName room) {
            return List.copyOf(rooms.getOrDefault(room, List.of()));
        }

        @Override
        public synchronized Replay readSince(RoomName room, EventId since) {
            List<Event> all = events(room);
            Optional<EventId> last = all.isEmpty() ? Optional.empty() : Optional.of(all.getLast().id());
            if (since.value() + 1 < trimmedBelow) {
                return new Replay.Lost(ResumeFailure.HISTORY_TRIMMED, Optional.of(new EventId(trimmedBelow)), last);
            }
            return new Replay.Gap(all.stream().filter(e -> e.id().after(since)).toList(), last);
        }

        @Override
        public Optional<EventId> lastId(RoomName room) {
            return Optional.of(new EventId(events(room).size()));
        }

        @Override
        public synchronized EventId position(RoomName intake) {
            return positions.getOrDefault(intake, new EventId(0));
        }

        @Override
        public synchronized Optional<List<Event>> advance(RoomName intake, EventId from, EventId to, List<EventDraft> drafts) {
            if (!position(intake).equals(from)) {
                lostClaims++;
                return Optional.empty();
            }
            List<Event> events = append(drafts);
            positions.put(intake, to);
            return Optional.of(events);
        }
    }
}

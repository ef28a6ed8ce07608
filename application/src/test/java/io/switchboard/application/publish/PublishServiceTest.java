package io.switchboard.application.publish;

import io.switchboard.application.port.in.EventSubmission;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.PublishCommand;
import io.switchboard.application.port.in.PublishReceipt;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.PublishReceipts;
import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing validates everything first, reports every problem, appends atomically and honours idempotency keys. */
class PublishServiceTest {
    private final ListBus bus = new ListBus();
    private final MapReceipts receipts = new MapReceipts();
    private final HubMetrics metrics = new HubMetrics();
    private final DeclaredRooms declared = new DeclaredRooms();
    private final PublishService service = new PublishService(new PublishSettings(100, 3, 4), bus, receipts, metrics,
            new RoomRules(java.util.Set.of("webhook"), Map.of("webhook", "Webhook not found"), declared));

    /** A must-exist namespace's room is refused until declared, with the namespace's own message. */
    @Test
    void roomsThatMustExistAreRefusedUntilDeclared() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> service.publish(new PublishCommand(List.of(new EventSubmission("webhook:abc-123", null, "new-request", "{}", null, false, null)),
                        false, null, null, null)));
        assertTrue(e.problems().getFirst().message().startsWith("Webhook not found"), e.problems().toString());
        assertTrue(bus.appends.isEmpty(), "nothing appended");
        declared.declare(new RoomName("webhook:abc-123"));
        service.publish(new PublishCommand(List.of(new EventSubmission("webhook:abc-123", null, "new-request", "{}", null, false, null)),
                false, null, null, null));
        assertEquals(1, bus.appends.size());
    }

    private static final class DeclaredRooms implements RoomDirectory {
        private final java.util.Set<RoomName> rooms = new java.util.HashSet<>();

        @Override
        public boolean declared(RoomName room) {
            return rooms.contains(room);
        }

        @Override
        public boolean declare(RoomName room) {
            return rooms.add(room);
        }

        @Override
        public boolean remove(RoomName room) {
            return rooms.remove(room);
        }
    }

    @Test
    void singleEventToSeveralRoomsGetsOneIdPerRoomInOneAppend() {
        PublishReceipt receipt = service.publish(single(toRooms(List.of("a", "b"), "greeting"), null));
        assertEquals(List.of(Map.of("a", "1", "b", "2")), receipt.ids());
        assertEquals(List.of("a", "b"), receipt.ids().getFirst().keySet().stream().toList(), "ids follow the order of rooms");
        assertEquals(1, bus.appends.size(), "one atomic append");
        assertEquals(List.of("a", "b"), bus.appends.getFirst().stream().map(d -> d.room().value()).toList());
        assertEquals(2, metrics.published());
        assertEquals(Map.of("greeting", 2L), metrics.byType());
    }

    @Test
    void batchReceiptListsIdsPerEventInOrder() {
        PublishReceipt receipt = service.publish(batch(toRoom("a", "x"), toRooms(List.of("b", "c"), "y"), toRoom("a", "z")));
        assertTrue(receipt.batch());
        assertEquals(List.of(Map.of("a", "1"), Map.of("b", "2", "c", "3"), Map.of("a", "4")), receipt.ids());
        assertEquals(1, bus.appends.size());
        assertEquals(List.of("x", "y", "y", "z"), bus.appends.getFirst().stream().map(EventDraft::type).toList());
    }

    @Test
    void invalidBatchAppendsNothingAndListsEveryProblemWithItsField() {
        EventSubmission tooBig = new EventSubmission("$stats", null, "ok", "\"" + "x".repeat(200) + "\"", null, false, null);
        PublishCommand command = new PublishCommand(
                List.of(toRoom("a", "fine"), toRoom("a", "bad type!"), tooBig), true, null, null,
                List.of(new Problem("[0].extra", "unknown field")));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.publish(command));
        assertEquals(List.of("[0].extra", "[1].type", "[2].room", "[2].data"), fields(e));
        assertTrue(bus.appends.isEmpty(), "nothing may be appended when any element is invalid");
        assertEquals(0, metrics.published());
        assertEquals(1, metrics.invalid(), "one invalid request counts once");
    }

    @Test
    void eachKindOfProblemIsReported() {
        EventSubmission both = new EventSubmission("a", List.of("b"), "t", null, null, false, null);
        EventSubmission neither = new EventSubmission(null, null, "t", null, null, false, null);
        EventSubmission badName = new EventSubmission(null, List.of("ok", "no spaces", "ok"), "", null, null, false, null);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.publish(batch(both, neither, badName)));
        assertEquals(List.of("[0].room", "[1].room", "[2].rooms[1]", "[2].rooms[2]", "[2].type"), fields(e));

        EventSubmission metaClash = new EventSubmission("a", null, "t", null, Map.of("room", "b"), false, "");
        EventSubmission tooManyRooms = toRooms(List.of("a", "b", "c", "d", "e"), "t");
        e = assertThrows(InvalidInputException.class, () -> service.publish(batch(metaClash, tooManyRooms)));
        assertEquals(List.of("[0].meta.room", "[0].key", "[1].rooms"), fields(e));
        assertTrue(bus.appends.isEmpty());
    }

    @Test
    void roomAndRoomsTogetherStillHaveTheirNamesChecked() {
        EventSubmission both = new EventSubmission("bad room", List.of("ok", "$stats"), "t", null, null, false, null);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.publish(single(both, null)));
        assertEquals(List.of("room", "room", "rooms[1]"), fields(e));
        assertTrue(e.problems().get(0).message().contains("exactly one"), e.problems().toString());
        assertTrue(e.problems().get(1).message().contains("must match"), e.problems().toString());
        assertTrue(bus.appends.isEmpty());
    }

    @Test
    void singleEventProblemsHaveNoIndexPrefix() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> service.publish(single(toRoom("$audit", "t"), null)));
        assertEquals(List.of("room"), fields(e));
        assertTrue(e.problems().getFirst().message().contains("reserved"), e.problems().toString());
    }

    @Test
    void emptyAndOversizedBatchesAreRefused() {
        assertEquals(List.of(""), fields(assertThrows(InvalidInputException.class, () -> service.publish(batch()))));
        EventSubmission ok = toRoom("a", "t");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.publish(batch(ok, ok, ok, ok)));
        assertTrue(e.problems().getFirst().message().contains("at most 3"), e.problems().toString());
        assertTrue(bus.appends.isEmpty());
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstReceiptAndAppendsOnce() {
        PublishReceipt first = service.publish(single(toRoom("a", "t"), "order-17"));
        PublishReceipt again = service.publish(single(toRoom("a", "t"), "order-17"));
        assertSame(first, again);
        assertEquals(1, bus.appends.size());
        assertEquals(1, metrics.published());

        PublishReceipt other = service.publish(single(toRoom("a", "t"), "order-18"));
        assertEquals(List.of(Map.of("a", "2")), other.ids(), "a different key publishes");
    }

    @Test
    void aRefusedPublishDoesNotUseUpItsIdempotencyKey() {
        assertThrows(InvalidInputException.class, () -> service.publish(single(toRoom("a", "bad type!"), "k1")));
        assertEquals(Optional.empty(), receipts.find("k1"));
        PublishReceipt receipt = service.publish(single(toRoom("a", "t"), "k1"));
        assertEquals(List.of(Map.of("a", "1")), receipt.ids());
    }

    @Test
    void badIdempotencyKeyIsAProblemListedWithTheOthers() {
        PublishCommand command = new PublishCommand(List.of(toRoom("a", "bad type!")), false, "k".repeat(129), null,
                List.of(new Problem("extra", "unknown field")));
        assertEquals(List.of("extra", "idempotencyKey", "type"),
                fields(assertThrows(InvalidInputException.class, () -> service.publish(command))));
        assertTrue(bus.appends.isEmpty());
    }

    private static EventSubmission toRoom(String room, String type) {
        return new EventSubmission(room, null, type, "{}", null, false, null);
    }

    private static EventSubmission toRooms(List<String> rooms, String type) {
        return new EventSubmission(null, rooms, type, "{}", null, false, null);
    }

    private static PublishCommand single(EventSubmission event, String idempotencyKey) {
        return new PublishCommand(List.of(event), false, idempotencyKey, null, List.of());
    }

    private static PublishCommand batch(EventSubmission... events) {
        return new PublishCommand(List.of(events), true, null, null, List.of());
    }

    private static List<String> fields(InvalidInputException e) {
        return e.problems().stream().map(Problem::field).toList();
    }

    /** Appends to a list, numbering events from 1 across all rooms. */
    private static final class ListBus implements EventBus {
        final List<List<EventDraft>> appends = new ArrayList<>();
        private long next = 1;

        @Override
        public List<Event> append(List<EventDraft> drafts) {
            appends.add(List.copyOf(drafts));
            return drafts.stream().map(d -> Event.from(d, new EventId(next++), Instant.EPOCH)).toList();
        }

        @Override
        public void subscribe(EventListener listener) {
            throw new UnsupportedOperationException("publishing never subscribes");
        }
    }

    private static final class MapReceipts implements PublishReceipts {
        private final Map<String, PublishReceipt> byKey = new HashMap<>();

        @Override
        public Optional<PublishReceipt> find(String idempotencyKey) {
            return Optional.ofNullable(byKey.get(idempotencyKey));
        }

        @Override
        public void remember(String idempotencyKey, PublishReceipt receipt) {
            byKey.put(idempotencyKey, receipt);
        }
    }
}

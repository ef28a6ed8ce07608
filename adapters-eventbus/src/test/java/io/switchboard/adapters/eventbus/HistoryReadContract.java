package io.switchboard.adapters.eventbus;

import io.switchboard.application.hooks.NamespaceHooks;
import io.switchboard.application.hooks.SubscribeHooks;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.history.HistoryService;
import io.switchboard.application.port.in.HistoryAnswer;
import io.switchboard.application.port.in.HistoryRequest;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.port.RoomState;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.switchboard.adapters.eventbus.EventStorageContract.appendEach;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The history API's reads (SPEC 16) on every storage: since, limit, order and trimmed history, read
 * through {@link HistoryService} from the storage's log as {@code GET /api/v1/rooms/{room}/events} does.
 */
interface HistoryReadContract {
    RoomName ROOM = new RoomName("orders:history");

    /** A new, empty storage keeping history as {@code retention} says, closed after the test. */
    EventStorage openTracked(HistoryRetention retention);

    /** The clock the storages run on. */
    TestClock testClock();

    private static HistoryAnswer.Page read(EventStorage storage, String since, String limit) {
        try (AuditTrail audit = new AuditTrail(storage.audit(), Clock.systemUTC())) {
            HistoryService history = new HistoryService(storage.log(), storage.states(), RoomAccess.open(),
                    new RoomRules(Set.of(), Map.of(), storage.rooms()), new EndpointAuthenticator(Optional.empty(), "token"), audit,
                    new SubscribeHooks(NamespaceHooks.NONE, null));
            return assertInstanceOf(HistoryAnswer.Page.class, history.read(new HistoryRequest(ROOM.value(), since, limit, null, true,
                    "127.0.0.1", "/api/v1/rooms/{room}/events")));
        }
    }

    private static List<EventId> ids(HistoryAnswer.Page page) {
        return page.events().stream().map(Event::id).toList();
    }

    private static List<EventId> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    @Test
    default void withoutSinceTheNewestLimitEventsComeOldestFirst() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        List<Event> events = appendEach(storage, ROOM, 7);
        storage.bus().append(List.of(EventStorageContract.draft(new RoomName("orders:other"), "elsewhere")));

        HistoryAnswer.Page newest = read(storage, null, "3");
        assertEquals(events.subList(4, 7), newest.events());
        assertEquals(true, newest.recovered());
        assertEquals(Optional.of(events.getFirst().id()), newest.oldestId());
        assertEquals(Optional.of(events.getLast().id()), newest.lastId());

        HistoryAnswer.Page all = read(storage, null, null);
        assertEquals(events, all.events(), "the default limit (100) covers all seven");
        assertEquals(Optional.of(events.getFirst().id()), all.oldestId());
    }

    @Test
    default void sinceGivesTheFirstLimitEventsAfterItInOrder() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        List<Event> events = appendEach(storage, ROOM, 6);

        HistoryAnswer.Page page = read(storage, events.get(1).id().toString(), "2");
        assertEquals(ids(events.subList(2, 4)), ids(page));
        assertEquals(events.subList(2, 4), page.events());
        assertEquals(true, page.recovered());
        assertEquals(null, page.reason());
        assertEquals(Optional.of(events.getFirst().id()), page.oldestId());
        assertEquals(Optional.of(events.getLast().id()), page.lastId(), "lastId is the room's newest, not the page's");

        HistoryAnswer.Page rest = read(storage, page.events().getLast().id().toString(), null);
        assertEquals(events.subList(4, 6), rest.events());

        HistoryAnswer.Page upToDate = read(storage, events.getLast().id().toString(), null);
        assertEquals(List.of(), upToDate.events());
        assertEquals(true, upToDate.recovered());
    }

    @Test
    default void sinceBeforeTheKeptCountIsNotRecoveredAndCarriesTheStateDocument() {
        EventStorage storage = openTracked(new HistoryRetention(3, Duration.ofHours(24)));
        List<Event> events = appendEach(storage, ROOM, 5);
        RoomState state = new RoomState(ROOM, "{\"total\":5}", events.getLast().id());
        storage.states().put(state);

        HistoryAnswer.Page trimmed = read(storage, events.getFirst().id().toString(), "10");
        assertEquals(List.of(), trimmed.events(), "never a partial replay presented as complete");
        assertEquals(false, trimmed.recovered());
        assertEquals("history_trimmed", trimmed.reason());
        assertEquals(Optional.of(events.get(2).id()), trimmed.oldestId());
        assertEquals(Optional.of(events.getLast().id()), trimmed.lastId());
        assertEquals(Optional.of(state), trimmed.state());

        HistoryAnswer.Page held = read(storage, events.get(1).id().toString(), "10");
        assertEquals(events.subList(2, 5), held.events());
        assertEquals(Optional.empty(), held.state(), "a recovered page needs no state document");

        HistoryAnswer.Page newest = read(storage, null, "10");
        assertEquals(events.subList(2, 5), newest.events(), "only what the history still holds");
        assertEquals(true, newest.recovered());
        assertEquals(Optional.of(events.get(2).id()), newest.oldestId());
    }

    @Test
    default void eventsOlderThanTheKeptAgeAreNeitherListedNorReplayed() {
        EventStorage storage = openTracked(new HistoryRetention(1000, Duration.ofHours(1)));
        List<Event> old = appendEach(storage, ROOM, 2);
        testClock().advance(Duration.ofMinutes(40));
        List<Event> recent = appendEach(storage, ROOM, 2);
        testClock().advance(Duration.ofMinutes(30));

        HistoryAnswer.Page newest = read(storage, null, "5");
        assertEquals(recent, newest.events());
        assertEquals(Optional.of(recent.getFirst().id()), newest.oldestId());

        HistoryAnswer.Page trimmed = read(storage, old.getFirst().id().toString(), null);
        assertEquals(false, trimmed.recovered());
        assertEquals("history_trimmed", trimmed.reason());
        assertEquals(Optional.of(recent.getFirst().id()), trimmed.oldestId());
        assertEquals(recent, read(storage, old.getLast().id().toString(), null).events());
    }

    @Test
    default void sinceAheadOfTheRoomIsAnUnknownPosition() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        List<Event> events = appendEach(storage, ROOM, 2);

        HistoryAnswer.Page ahead = read(storage, String.valueOf(events.getLast().id().value() + 1), null);
        assertEquals(false, ahead.recovered());
        assertEquals("unknown_position", ahead.reason());
        assertEquals(List.of(), ahead.events());
        assertEquals(Optional.of(events.getLast().id()), ahead.lastId());
    }

    @Test
    default void aRoomWithoutEventsHasAnEmptyPageAtItsPosition() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        Optional<EventId> position = storage.log().lastId(ROOM);

        HistoryAnswer.Page empty = read(storage, null, null);
        assertEquals(List.of(), empty.events());
        assertEquals(true, empty.recovered());
        assertEquals(Optional.empty(), empty.oldestId());
        assertEquals(position, empty.lastId());

        HistoryAnswer.Page fromPosition = read(storage, position.orElseThrow().toString(), null);
        assertEquals(List.of(), fromPosition.events());
        assertEquals(true, fromPosition.recovered());
    }
}

package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients resuming over the same events share their deliveries, so each frame is rendered once. */
class ReplayDeliveriesTest {
    private static final RoomName ROOM = new RoomName("bench:room");
    private static final RoomName OTHER = new RoomName("bench:other");

    @Test
    void twoReplaysOfTheSameEventsShareDeliveriesAndRenderEachFrameOnce() {
        ReplayDeliveries replays = new ReplayDeliveries(100);
        List<Delivery> first = replays.of(List.of(event(ROOM, 1), event(ROOM, 2)));
        // A log that reads again returns equal but new Event objects: the id decides.
        List<Delivery> second = replays.of(List.of(event(ROOM, 1), event(ROOM, 2), event(ROOM, 3)));

        assertSame(first.get(0), second.get(0));
        assertSame(first.get(1), second.get(1));
        assertEquals(List.of(1L, 2L, 3L), second.stream().map(d -> d.event().id().value()).toList(), "in the replay's order");
        assertTrue(second.stream().noneMatch(Delivery::live), "replays are not live: no latency, no queue bound");

        AtomicInteger renders = new AtomicInteger();
        Function<Event, String> renderer = e -> "frame " + e.id() + " #" + renders.incrementAndGet();
        assertEquals(first.get(0).frame(renderer), second.get(0).frame(renderer));
        assertEquals(1, renders.get());
    }

    @Test
    void theSameIdInAnotherRoomIsAnotherEvent() {
        ReplayDeliveries replays = new ReplayDeliveries(100);
        Delivery a = replays.of(List.of(event(ROOM, 7))).getFirst();
        Delivery b = replays.of(List.of(event(OTHER, 7))).getFirst();

        assertNotSame(a, b);
        assertEquals(OTHER, b.event().room());
    }

    @Test
    void pastItsCapacityItStartsOverAndStillAnswersEveryEvent() {
        ReplayDeliveries replays = new ReplayDeliveries(3);
        Delivery one = replays.of(List.of(event(ROOM, 1), event(ROOM, 2))).getFirst();
        List<Delivery> more = replays.of(List.of(event(ROOM, 1), event(ROOM, 3), event(ROOM, 4)));

        assertEquals(List.of(1L, 3L, 4L), more.stream().map(d -> d.event().id().value()).toList());
        assertNotSame(one, more.getFirst(), "the cache was cleared to stay within its bound");
        assertTrue(replays.size() <= 3);
        assertFalse(replays.of(List.of()).iterator().hasNext());
    }

    private static Event event(RoomName room, long id) {
        return new Event(new EventId(id), room, "t", "{\"n\":" + id + "}", Instant.EPOCH, Map.of(), false, null);
    }
}

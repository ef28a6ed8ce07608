package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds are checked and counted in the same step as the append, and taking messages frees them. */
class OutboundQueueTest {
    private static final RoomName ROOM = new RoomName("bench:room");

    @Test
    void aLiveEventOverTheMessageBoundIsRefusedButARepliesAlwaysFit() {
        OutboundQueue queue = new OutboundQueue();
        assertTrue(queue.offer(live(1), 2, 1 << 20));
        assertTrue(queue.offer(live(2), 2, 1 << 20));

        assertFalse(queue.offer(live(3), 2, 1 << 20), "a third live event is over a bound of 2 messages");
        assertTrue(queue.offer(new Outbound.Pong("{}"), 2, 1 << 20), "replies do not count against the bounds");
        assertTrue(queue.offer(replayed(3), 2, 1 << 20), "replayed events do not count either");
    }

    @Test
    void aLiveEventOverTheByteBoundIsRefused() {
        OutboundQueue queue = new OutboundQueue();
        int size = live(1).approximateBytes();
        assertTrue(queue.offer(live(1), 100, size));

        assertFalse(queue.offer(live(2), 100, 2L * size - 1), "two events need twice the bytes");
        assertTrue(queue.offer(live(2), 100, 2L * size));
    }

    @Test
    void takingMessagesKeepsTheirOrderAndFreesTheirPlaceInTheBounds() {
        OutboundQueue queue = new OutboundQueue();
        Delivery first = live(1);
        Delivery second = live(2);
        Delivery third = live(3);
        queue.offer(first, 3, 1 << 20);
        queue.offer(second, 3, 1 << 20);
        queue.offer(third, 3, 1 << 20);
        assertFalse(queue.offer(live(4), 3, 1 << 20));

        Outbound[] taken = new Outbound[2];
        assertEquals(2, queue.pollInto(taken));
        assertSame(first, taken[0]);
        assertSame(second, taken[1]);
        assertTrue(queue.offer(live(4), 3, 1 << 20), "the two taken no longer count");
        assertTrue(queue.offer(live(5), 3, 1 << 20));
        assertFalse(queue.offer(live(6), 3, 1 << 20));

        assertEquals(2, queue.pollInto(taken));
        assertSame(third, taken[0]);
        assertEquals(1, queue.pollInto(taken));
        assertEquals(0, queue.pollInto(taken));
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
    }

    private static Delivery live(long id) {
        return new Delivery(event(id), 0, true);
    }

    private static Delivery replayed(long id) {
        return new Delivery(event(id), 0, false);
    }

    private static Event event(long id) {
        return new Event(new EventId(id), ROOM, "tick", "{\"n\":" + id + "}", Instant.EPOCH, Map.of(), false, null);
    }
}

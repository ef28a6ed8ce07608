package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
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
    void aRunOfLiveEventsIsQueuedUpToTheBoundAndTheRestIsLeftToTheOverflowPolicy() {
        OutboundQueue queue = new OutboundQueue();
        assertTrue(queue.offer(live(1), 4, 1 << 20));

        assertEquals(3, queue.offerAll(List.of(live(2), live(3), live(4), live(5), live(6)), 4, 1 << 20),
                "three more fit a bound of 4 messages; 5 and 6 are not queued");
        Outbound[] taken = new Outbound[8];
        assertEquals(4, queue.pollInto(taken));
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, ((Delivery) taken[i]).event().id().value(), "in order");
        }
        assertEquals(2, queue.offerAll(List.of(live(5), live(6)), 4, 1 << 20), "taken messages free their places");
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

    @Test
    void messagesKeepTheirOrderAcrossWrapAroundAndGrowth() {
        OutboundQueue queue = new OutboundQueue();
        Outbound[] taken = new Outbound[5];
        long next = 1;
        long expected = 1;
        for (int round = 0; round < 20; round++) { // the start moves round the ring while a backlog grows
            for (int i = 0; i < 4 + round % 5; i++) {
                assertTrue(queue.offer(live(next++), 1000, 1 << 20));
            }
            int n = queue.pollInto(taken); // at most 5 of the 4-8 offered: a backlog builds up
            for (int i = 0; i < n; i++) {
                assertEquals(expected++, ((Delivery) taken[i]).event().id().value(), "round " + round);
            }
        }
        Outbound rest;
        while ((rest = queue.poll()) != null) {
            assertEquals(expected++, ((Delivery) rest).event().id().value());
        }
        assertEquals(next, expected, "every message came out once");
        assertTrue(queue.isEmpty());
    }

    @Test
    void droppingTheOldestBoundedMessageKeepsRepliesAndTheOrderOfTheRest() {
        OutboundQueue queue = new OutboundQueue();
        Outbound reply = new Outbound.Pong("{}");
        queue.offer(reply, 10, 1 << 20);
        for (long id = 1; id <= 9; id++) { // past the initial capacity of 8
            queue.offer(live(id), 10, 1 << 20);
        }

        assertTrue(queue.dropOldestBounded());
        assertTrue(queue.dropOldestBounded());

        assertSame(reply, queue.poll(), "the reply is not a bounded message: it stays, first");
        for (long id = 3; id <= 9; id++) {
            assertEquals(id, ((Delivery) queue.poll()).event().id().value());
        }
        assertNull(queue.poll());
        assertFalse(queue.dropOldestBounded(), "nothing left to drop");
        assertTrue(queue.offer(live(10), 1, 1 << 20), "the dropped and taken no longer count");
        assertEquals(1, queue.clear(), "clear reports the bounded messages it discarded");
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

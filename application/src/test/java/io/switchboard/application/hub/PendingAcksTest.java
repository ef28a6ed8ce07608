package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One connection's unacknowledged critical events, on a fake clock. */
class PendingAcksTest {
    private static final long MS = 1_000_000L;
    private static final RoomName ROOM = new RoomName("task:1");
    private static final RoomName OTHER = new RoomName("task:2");
    private static final DeliveryRules RULES = new DeliveryRules(Map.of(),
            Map.of("task", new DeliveryRules.AckRule(Duration.ofMillis(300), 2)), DeliveryRules.DEFAULT_ACK, Duration.ZERO);

    private final PendingAcks acks = new PendingAcks(RULES, 3);

    @Test
    void overdueEventsAreResentUpToTheRetriesThenGivenUp() {
        Event event = critical(ROOM, 7);
        acks.written(event, 0);
        assertEquals(PendingAcks.Overdue.NONE, acks.overdue(299 * MS));
        assertEquals(List.of(event), acks.overdue(300 * MS).resend());
        assertEquals(PendingAcks.Overdue.NONE, acks.overdue(1000 * MS), "queued again: the deadline waits for the write");

        acks.written(event, 1000 * MS);
        assertEquals(List.of(event), acks.overdue(1300 * MS).resend());
        acks.written(event, 1300 * MS);
        PendingAcks.Overdue last = acks.overdue(1600 * MS);
        assertEquals(List.of(), last.resend());
        assertEquals(1, last.givenUp(), "two re-sends spent");
        assertEquals(0, acks.size());
    }

    @Test
    void anAckClearsTheEventOfThatRoomOnly() {
        acks.written(critical(ROOM, 7), 0);
        acks.written(critical(OTHER, 7), 0);
        assertTrue(acks.acknowledge(ROOM, new EventId(7)));
        assertFalse(acks.acknowledge(ROOM, new EventId(7)), "a second ack finds nothing");
        assertEquals(1, acks.size());
        assertTrue(acks.acknowledge(null, new EventId(7)), "without a room, the id in any room");
        assertEquals(0, acks.size());
    }

    @Test
    void anAckWhileAResendIsQueuedEndsTrackingWhenThatResendIsWritten() {
        Event event = critical(ROOM, 7);
        acks.written(event, 0);
        assertEquals(List.of(event), acks.overdue(300 * MS).resend());
        assertTrue(acks.acknowledge(ROOM, new EventId(7)));
        acks.written(event, 400 * MS);
        assertEquals(0, acks.size(), "the re-send went out after the ack: nothing to wait for");
        assertEquals(PendingAcks.Overdue.NONE, acks.overdue(10_000 * MS));
    }

    @Test
    void leavingARoomForgetsItsEvents() {
        acks.written(critical(ROOM, 7), 0);
        acks.written(critical(OTHER, 8), 0);
        acks.forget(ROOM);
        assertEquals(1, acks.size());
        assertEquals(List.of(critical(OTHER, 8)), acks.overdue(10_000 * MS).resend());
    }

    @Test
    void beyondTheCapacityTheOldestIsGivenUp() {
        for (int id = 1; id <= 3; id++) {
            assertEquals(0, acks.written(critical(ROOM, id), 0));
        }
        assertEquals(1, acks.written(critical(ROOM, 4), 0));
        assertFalse(acks.acknowledge(ROOM, new EventId(1)), "the oldest was given up");
        assertTrue(acks.acknowledge(ROOM, new EventId(4)));
    }

    @Test
    void namespacesWithoutSettingsUseTheDefaultTimeout() {
        Event elsewhere = critical(new RoomName("user:1"), 1);
        acks.written(elsewhere, 0);
        assertEquals(PendingAcks.Overdue.NONE, acks.overdue(9_999 * MS));
        assertEquals(List.of(elsewhere), acks.overdue(10_000 * MS).resend());
    }

    private static Event critical(RoomName room, long id) {
        return new Event(new EventId(id), room, "task_update", "{}", Instant.EPOCH, Map.of(), true, null);
    }
}

package io.switchboard.application.hub;

import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.domain.OverflowPolicy;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out's copy of a room's members follows every join and leave made before it is asked for. */
class RoomRegistryTest {
    private static final HubSettings SETTINGS = new HubSettings(1024, 1 << 20, OverflowPolicy.DISCONNECT,
            Duration.ofSeconds(30), Duration.ofSeconds(10), 4096, 10, 10, 20, 100, Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
    private static final RoomName ROOM = new RoomName("chat:1");

    private final Hub hub = new Hub(SETTINGS, RoomAccess.open(), null, null, new AuditTrail(new HubHeartbeatTest.NoAudit(), Clock.systemUTC()), null,
            Clock.systemUTC(), new HubMetrics(), task -> { });

    @Test
    void membersSeeJoinsAndLeavesAfterAnEarlierCopy() {
        RoomRegistry rooms = new RoomRegistry();
        Subscription a = subscription();
        Subscription b = subscription();
        assertTrue(rooms.members(ROOM).isEmpty());

        assertTrue(rooms.add(a, 0));
        assertEquals(List.of(a), rooms.members(ROOM));
        assertTrue(rooms.add(b, 0));
        assertEquals(2, rooms.members(ROOM).size(), "a join after the first copy is seen");
        assertTrue(rooms.members(ROOM).contains(b));

        rooms.remove(a);
        assertEquals(List.of(b), rooms.members(ROOM), "a leave is seen");
        assertEquals(1, rooms.size(ROOM));
        rooms.remove(b);
        assertTrue(rooms.members(ROOM).isEmpty());
        assertEquals(0, rooms.activeRooms(), "an empty room is forgotten");

        Subscription c = subscription();
        assertTrue(rooms.add(c, 0));
        assertEquals(List.of(c), rooms.members(ROOM), "a room made again starts from its new members");
    }

    @Test
    void aFullRoomRefusesAnotherMemberAndItsCopyStaysAsItWas() {
        RoomRegistry rooms = new RoomRegistry();
        Subscription a = subscription();
        assertTrue(rooms.add(a, 1));
        List<Subscription> before = rooms.members(ROOM);

        assertFalse(rooms.add(subscription(), 1));
        assertEquals(before, rooms.members(ROOM));
    }

    @Test
    void removingASubscriptionThatWasReplacedLeavesTheNewOne() {
        RoomRegistry rooms = new RoomRegistry();
        Connection connection = hub.open(spec(), new HubHeartbeatTest.RecordingSink(false), message -> "frame", task -> { });
        Subscription old = new Subscription(connection, ROOM);
        Subscription current = new Subscription(connection, ROOM);
        rooms.add(old, 0);
        rooms.add(current, 0);
        rooms.members(ROOM);

        rooms.remove(old);
        assertEquals(List.of(current), rooms.members(ROOM));
    }

    private Subscription subscription() {
        return new Subscription(hub.open(spec(), new HubHeartbeatTest.RecordingSink(false), message -> "frame", task -> { }), ROOM);
    }

    private static ConnectionSpec spec() {
        return new ConnectionSpec("/ws", "websocket", "127.0.0.1", null, false);
    }
}

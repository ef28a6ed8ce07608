package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After {@code left} for a room, no event of that room reaches the client, even one offered by a fan-out
 * that took the room's members before the subscription ended (the fan-out does not lock the member list),
 * until the client joins the room again.
 */
class LeftRoomTest {
    private static final String ROOM = "demo:1";

    private final ManualTimeHub hub = new ManualTimeHub(DeliveryRules.defaults());
    private final ManualTimeHub.Client client = hub.connect();

    @Test
    void aFanOutHoldingTheOldMemberListDeliversNothingAfterLeft() {
        hub.hub.join(client.connection(), ROOM, null, null);
        hub.hub.onEvent(tick(1));
        Subscription stale = client.connection().subscriptions().get(new RoomName(ROOM));

        hub.hub.leave(client.connection(), ROOM, null);
        stale.offerLive(List.of(new Delivery(tick(2), System.nanoTime(), true))); // a fan-out already past the member list

        assertEquals(List.of("connected", "joined", "tick 1", "left"), client.seen());

        hub.hub.join(client.connection(), ROOM, null, null);
        hub.hub.onEvent(tick(3));
        assertEquals(List.of("connected", "joined", "tick 1", "left", "joined", "tick 3"), client.seen(), "joined again: live again");
    }

    private static Event tick(long id) {
        return new Event(new EventId(id), new RoomName(ROOM), "tick", "{\"n\":" + id + "}", Instant.EPOCH, Map.of(), false, null);
    }
}

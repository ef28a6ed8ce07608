package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SPEC 6 "Coalescing / throttling" on manual time: in a namespace throttled to 100 ms, the first event
 * of a key goes out at once, later ones within the window are held, and only the latest goes out when
 * the window ends.
 */
class ThrottleWindowTest {
    private static final String ROOM = "cursor:1";
    private static final DeliveryRules THROTTLED = new DeliveryRules(Map.of("cursor", Duration.ofMillis(100)), Map.of(),
            DeliveryRules.DEFAULT_ACK, Duration.ZERO);

    private final ManualTimeHub hub = new ManualTimeHub(THROTTLED);
    private final ManualTimeHub.Client client = hub.connect();

    @BeforeEach
    void join() {
        hub.hub.join(client.connection(), ROOM, null, null);
    }

    @Test
    void theWindowsEndReleasesOnlyTheLatestHeldEvent() {
        hub.hub.onEvent(move(1));
        hub.time.advance(Duration.ofMillis(10));
        hub.hub.onEvent(move(2));
        hub.time.advance(Duration.ofMillis(10));
        hub.hub.onEvent(move(3));
        assertEquals(List.of("connected", "joined", "move 1"), client.seen(), "2 and 3 are held");

        hub.time.advance(Duration.ofMillis(79));
        assertEquals(List.of("connected", "joined", "move 1"), client.seen(), "the window has not ended");
        hub.time.advance(Duration.ofMillis(1));

        assertEquals(List.of("connected", "joined", "move 1", "move 3"), client.seen(), "3 replaced 2");
        assertEquals(1, hub.metrics.throttled());
    }

    @Test
    void aHeldEventWhoseTimerWasMissedGoesOutWithTheNextHeartbeat() {
        hub.hub.onEvent(move(1));
        hub.hub.onEvent(move(2));
        assertEquals(1, hub.time.scheduled(), "the window's end has a timer");
        hub.time.loseTimers();

        hub.time.advance(Duration.ofMillis(100));
        assertEquals(List.of("connected", "joined", "move 1"), client.seen(), "no timer ran");
        hub.hub.heartbeat();

        assertEquals(List.of("connected", "joined", "move 1", "move 2"), client.seen());
    }

    private static Event move(long id) {
        return new Event(new EventId(id), new RoomName(ROOM), "move", "{\"x\":" + id + "}", Instant.EPOCH, Map.of(), false, "pointer");
    }
}

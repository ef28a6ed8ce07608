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
 * SPEC 6 "Critical events" on manual time: a critical event not acknowledged within the namespace's
 * {@code ack-timeout} (300 ms) is written again, same frame, up to {@code ack-retries} (2) times, then given up.
 */
class CriticalResendTest {
    private static final String ROOM = "task:1";
    private static final DeliveryRules ACKS = new DeliveryRules(Map.of(),
            Map.of("task", new DeliveryRules.AckRule(Duration.ofMillis(300), 2)), DeliveryRules.DEFAULT_ACK, Duration.ZERO);

    private final ManualTimeHub hub = new ManualTimeHub(ACKS);
    private final ManualTimeHub.Client client = hub.connect();

    @BeforeEach
    void joinAndReceiveACriticalEvent() {
        hub.hub.join(client.connection(), ROOM, null, null);
        hub.hub.onEvent(critical(7));
        assertEquals(List.of("connected", "joined", "task_update 7"), client.seen());
    }

    @Test
    void anUnacknowledgedEventIsWrittenAgainAfterEachTimeoutThenGivenUp() {
        hub.heartbeatAfter(299);
        assertEquals(List.of("connected", "joined", "task_update 7"), client.seen(), "not overdue yet");

        hub.heartbeatAfter(1);
        assertEquals(List.of("connected", "joined", "task_update 7", "task_update 7"), client.seen());
        List<String> texts = client.sink().texts();
        assertEquals(texts.get(2), texts.get(3), "the same frame: same id, still asking for an ack");

        hub.heartbeatAfter(300);
        hub.heartbeatAfter(300);
        hub.heartbeatAfter(10_000);
        assertEquals(List.of("connected", "joined", "task_update 7", "task_update 7", "task_update 7"), client.seen(),
                "two re-sends, then no more");
        assertEquals(2, hub.metrics.criticalResent());
        assertEquals(1, hub.metrics.criticalUnacknowledged());
        assertEquals(0, client.connection().unacknowledged());
    }

    @Test
    void anAcknowledgedEventIsNotWrittenAgain() {
        hub.time.advance(Duration.ofMillis(100));
        hub.hub.ack(client.connection(), ROOM, "7", null);

        hub.heartbeatAfter(10_000);
        assertEquals(List.of("connected", "joined", "task_update 7"), client.seen());
        assertEquals(0, hub.metrics.criticalResent());
        assertEquals(0, hub.metrics.criticalUnacknowledged());
    }

    @Test
    void anAckAfterAResendStopsTheResends() {
        hub.heartbeatAfter(300);
        hub.hub.ack(client.connection(), null, "7", null);

        hub.heartbeatAfter(10_000);
        assertEquals(List.of("connected", "joined", "task_update 7", "task_update 7"), client.seen());
        assertEquals(0, hub.metrics.criticalUnacknowledged());
    }

    private static Event critical(long id) {
        return new Event(new EventId(id), new RoomName(ROOM), "task_update", "{\"status\":\"failed\"}", Instant.EPOCH, Map.of(), true, null);
    }
}

package io.switchboard.application.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.application.hub.Connection.InboundVerdict.ADMITTED;
import static io.switchboard.application.hub.Connection.InboundVerdict.CLOSING;
import static io.switchboard.application.hub.Connection.InboundVerdict.RATE_LIMITED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC 8 "Rate limits" on manual time: 10 messages a second with a burst of 10; beyond it the client is
 * told {@code RATE_LIMITED}, and its third refusal within ten seconds closes it with 4008
 * ({@link ManualTimeHub#SETTINGS}).
 */
class InboundRateLimitTest {
    private final ManualTimeHub hub = new ManualTimeHub(DeliveryRules.defaults());
    private final ManualTimeHub.Client client = hub.connect();

    @Test
    void beyondTheBurstAMessageIsRefusedUntilTheBucketRefills() {
        assertEquals(List.of(ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED),
                admit(10), "the burst");
        assertEquals(RATE_LIMITED, client.connection().admitInbound());

        assertEquals(List.of("connected", "error RATE_LIMITED"), client.seen());
        Map<?, ?> error = (Map<?, ?>) client.sink().last("error").get("data");
        assertEquals("too many messages: at most 10 per second", error.get("message"));

        hub.time.advance(Duration.ofMillis(100));
        assertEquals(List.of(ADMITTED, RATE_LIMITED), admit(2), "a tenth of a second refills one message");
        assertTrue(client.connection().open());
    }

    @Test
    void theThirdRefusalWithinTenSecondsClosesTheConnectionWith4008() {
        admit(10);
        assertEquals(List.of(RATE_LIMITED, RATE_LIMITED, CLOSING), admit(3));

        assertEquals(List.of("connected", "error RATE_LIMITED", "error RATE_LIMITED", "disconnect 4008", "close 4008"),
                client.seen());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) client.sink().last("disconnect").get("data")).get("reconnect"));
        assertTrue(hub.hub.connections().isEmpty());
        assertEquals(3, hub.metrics.rateLimitedCount());
    }

    @Test
    void refusalsMoreThanTenSecondsApartDoNotAddUp() {
        admit(10);
        assertEquals(List.of(RATE_LIMITED, RATE_LIMITED), admit(2));

        hub.time.advance(Duration.ofMillis(10_001));
        admit(10);
        assertEquals(List.of(RATE_LIMITED, RATE_LIMITED), admit(2), "a new window: two refusals again");
        assertTrue(client.connection().open());
    }

    private List<Connection.InboundVerdict> admit(int messages) {
        List<Connection.InboundVerdict> verdicts = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            verdicts.add(client.connection().admitInbound());
        }
        return verdicts;
    }
}

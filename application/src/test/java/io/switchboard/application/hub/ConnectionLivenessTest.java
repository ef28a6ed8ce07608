package io.switchboard.application.hub;

import io.switchboard.application.port.Principal;
import io.switchboard.domain.CloseCode;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC 8 on manual time: pings every heartbeat interval, 4011 for a client that stops answering, 4012
 * for one that sends nothing, 4001 when its token expires, and a socket cut when its close cannot be written.
 * Interval 30 s, timeout 10 s, close grace 10 s ({@link ManualTimeHub#SETTINGS}).
 */
class ConnectionLivenessTest {
    private static final DeliveryRules IDLE_AFTER_A_MINUTE = new DeliveryRules(Map.of(), Map.of(), DeliveryRules.DEFAULT_ACK,
            Duration.ofSeconds(60));

    private final ManualTimeHub hub = new ManualTimeHub(DeliveryRules.defaults());

    @Test
    void aPingGoesOutOnceTheIntervalHasPassedAndAgainAnIntervalAfterThePong() {
        ManualTimeHub.Client client = hub.connect();

        hub.heartbeatAfter(29_999);
        assertEquals(List.of("connected"), client.seen(), "no ping before the interval");
        hub.heartbeatAfter(1);
        assertEquals(List.of("connected", "ping"), client.seen());
        hub.heartbeatAfter(5_000);
        assertEquals(List.of("connected", "ping"), client.seen(), "one ping at a time");

        client.connection().pongReceived();
        hub.heartbeatAfter(29_999);
        assertEquals(List.of("connected", "ping"), client.seen(), "the next interval starts at the pong");
        hub.heartbeatAfter(1);
        assertEquals(List.of("connected", "ping", "ping"), client.seen());
        assertTrue(client.connection().open());
    }

    @Test
    void aClientThatDoesNotAnswerThePingIsToldAndClosedWith4011() {
        ManualTimeHub.Client client = hub.connect();
        hub.heartbeatAfter(30_000);

        hub.heartbeatAfter(10_000);
        assertEquals(List.of("connected", "ping"), client.seen(), "the timeout is not over yet");
        hub.heartbeatAfter(1);

        assertEquals(List.of("connected", "ping", "disconnect 4011", "close 4011"), client.seen());
        Map<?, ?> disconnect = (Map<?, ?>) client.sink().last("disconnect").get("data");
        assertEquals(Boolean.TRUE, disconnect.get("reconnect"), disconnect.toString());
        assertEquals("heartbeat timeout: no pong within 10000 ms", disconnect.get("reason"));
        assertTrue(client.connection().finished());
        assertTrue(hub.hub.connections().isEmpty(), "the hub forgot the connection");
    }

    @Test
    void aClientThatSendsNothingForTheIdleTimeoutIsClosedWith4012EvenThoughItAnswersPings() {
        ManualTimeHub idleHub = new ManualTimeHub(IDLE_AFTER_A_MINUTE);
        ManualTimeHub.Client client = idleHub.connect();
        idleHub.heartbeatAfter(30_000);
        client.connection().pongReceived();

        idleHub.heartbeatAfter(29_999);
        assertEquals(List.of("connected", "ping"), client.seen());
        idleHub.heartbeatAfter(1);

        assertEquals(List.of("connected", "ping", "disconnect 4012", "close 4012"), client.seen());
        Map<?, ?> disconnect = (Map<?, ?>) client.sink().last("disconnect").get("data");
        assertEquals("idle timeout", disconnect.get("reason"));
        assertEquals(Boolean.TRUE, disconnect.get("reconnect"));
    }

    @Test
    void eachMessageFromTheClientStartsTheIdleTimeoutAgain() {
        ManualTimeHub idleHub = new ManualTimeHub(IDLE_AFTER_A_MINUTE);
        ManualTimeHub.Client client = idleHub.connect();
        idleHub.time.advance(Duration.ofSeconds(50));
        assertEquals(Connection.InboundVerdict.ADMITTED, client.connection().admitInbound());
        client.connection().pongReceived();

        idleHub.heartbeatAfter(59_999);
        assertTrue(client.connection().open(), "a minute has not passed since the message: " + client.seen());
        idleHub.heartbeatAfter(1);
        assertEquals("disconnect 4012", client.seen().get(client.seen().size() - 2));
        assertEquals("close 4012", client.seen().getLast());
    }

    @Test
    void aClientWhoseTokenExpiresIsToldAndClosedWith4001UnlessItRefreshedIt() {
        Instant now = hub.time.instant();
        ManualTimeHub.Client expiring = hub.connect(user(now.plusSeconds(20)), Runnable::run);
        ManualTimeHub.Client refreshed = hub.connect(user(now.plusSeconds(20)), Runnable::run);
        hub.hub.refresh(refreshed.connection(), user(now.plusSeconds(3600)));

        hub.heartbeatAfter(20_000);
        assertTrue(expiring.connection().open(), "not after exp yet");
        hub.heartbeatAfter(1);

        assertEquals(List.of("connected", "error AUTH_EXPIRED", "disconnect " + CloseCode.UNAUTHORIZED,
                "close " + CloseCode.UNAUTHORIZED), expiring.seen());
        assertEquals(List.of("connected"), refreshed.seen());
        assertTrue(refreshed.connection().open());
    }

    @Test
    void aCloseThatCannotBeWrittenWithinTheCloseGraceIsCutOff() {
        ManualTimeHub.Client stuck = hub.connect(null, task -> { }); // its writer never gets to run
        stuck.connection().close(CloseCode.KICKED, "disconnected by an administrator", false, null, true);

        hub.heartbeatAfter(10_000);
        assertFalse(stuck.connection().finished(), "still within the close grace");
        hub.heartbeatAfter(1);

        assertEquals(List.of("cut"), stuck.seen(), "the socket is cut without a close frame");
        assertTrue(stuck.connection().finished());
        assertTrue(hub.hub.connections().isEmpty());
    }

    private static Principal user(Instant expiresAt) {
        return new Principal("ada", Set.of(), List.of(), expiresAt);
    }
}

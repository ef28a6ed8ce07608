package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hub.connection.idle-timeout} (SPEC 8, seed 002's 10 minutes): a client that sends nothing is closed with 4012. */
class IdleTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Pings every 100 ms, so the client's pongs flow the whole time: they do not count as activity. */
    private static TestHub hub(String idleTimeout) {
        return TestHub.start(Map.of("hub.connection.idle-timeout", idleTimeout, "hub.heartbeat.interval", "100ms"));
    }

    @Test
    void aClientThatSendsNothingIsToldAndClosedWith4012() throws Exception {
        try (TestHub hub = hub("600ms"); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            assertEquals("connected", client.next(WAIT).path("type").asText());

            JsonNode disconnect = client.nextOfType("disconnect", WAIT);
            assertEquals(4012, disconnect.path("data").path("code").asInt(), disconnect.toString());
            assertEquals("idle timeout", disconnect.path("data").path("reason").asText(), disconnect.toString());
            assertTrue(disconnect.path("data").path("reconnect").asBoolean(), disconnect.toString());
            assertEquals(4012, client.closeCode().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClientThatKeepsSendingMessagesStaysConnected() throws Exception {
        try (TestHub hub = hub("600ms"); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            long until = System.nanoTime() + Duration.ofMillis(2000).toNanos();
            int pings = 0;
            while (System.nanoTime() < until) {
                client.send("ping", Map.of("n", ++pings));
                Thread.sleep(150);
            }
            assertFalse(client.closeCode().isDone(), "closed although it sent a message every 150 ms: " + client.history());
            client.send("ping", Map.of("n", "last"));
            JsonNode pong;
            do {
                pong = client.nextOfType("pong", WAIT);
            } while (!pong.path("data").path("n").asText().equals("last"));
        }
    }

    @Test
    void withTheDefaultOfZeroASilentClientStaysConnected() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.heartbeat.interval", "100ms")); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            Thread.sleep(1000);
            assertFalse(client.closeCode().isDone(), "closed: " + client.history());
        }
    }

    @Test
    void aBadIdleTimeoutFailsTheStartNamingTheKey() {
        StartupException e = assertThrows(StartupException.class, () -> hub("later"));
        assertTrue(e.getMessage().contains("hub.connection.idle-timeout"), e.getMessage());
    }
}

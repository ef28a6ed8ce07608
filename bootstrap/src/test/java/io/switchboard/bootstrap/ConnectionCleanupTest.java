package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that vanishes without a close frame is removed from its rooms and the stats at once,
 * not only when the next heartbeat fails (the default heartbeat is 30 s; these tests would time out).
 */
class ConnectionCleanupTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aClientThatDropsItsSocketIsRemovedFromRoomsAndStats() throws Exception {
        try (TestHub hub = TestHub.start()) {
            RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of());
            client.readText(WAIT);
            client.sendText("{\"type\":\"join\",\"data\":{\"room\":\"demo:gone\"}}");
            client.readText(WAIT);
            assertEquals(1, stats(hub).path("connections").path("total").asInt());
            assertEquals(1, stats(hub).path("rooms").path("active").asInt());

            client.close();

            awaitNoConnections(hub);
            assertEquals(0, stats(hub).path("rooms").path("active").asInt());
        }
    }

    @Test
    void aClientBreakingTheServersFrameLimitIsRemovedToo() throws Exception {
        try (TestHub hub = TestHub.start(); RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
            client.readText(WAIT);
            try {
                client.sendText("x".repeat(2 * 1024 * 1024));
                client.awaitClose(WAIT);
            } catch (java.io.IOException cutOffWhileSending) {
                // Helidon closes the socket as soon as it sees the frame header; either way it is gone.
            }
            awaitNoConnections(hub);
        }
    }

    private static void awaitNoConnections(TestHub hub) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stats(hub).path("connections").path("total").asInt() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, stats(hub).path("connections").path("total").asInt(), "the vanished client is no longer counted");
    }

    private static JsonNode stats(TestHub hub) throws Exception {
        return JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body());
    }
}

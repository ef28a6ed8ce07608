package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.HubSettings;
import io.switchboard.application.hub.HubMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Once the hub stops accepting, every request but the health checks is answered 503, and readiness says why. */
class ShuttingDownTest {
    // Only what the routes under test reach is real: the hub's accepting flag and the health checks.
    private final Hub hub = new Hub(HubSettings.defaults(), RoomAccess.open(), null, null, null, null, Clock.systemUTC(),
            new HubMetrics(), Runnable::run);
    private final BareServer server = BareServer.start(routing -> HttpAdapter.register(routing, hub, null, null, null,
            new HubMetrics(), new ApiCredentials(List.of(), Optional.empty()), null, null, null, null, null, new BodyLimits(65536, 1 << 20, 4096, 65536), null, null));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void whileTheHubAcceptsItIsReady() throws Exception {
        HttpResponse<String> ready = server.get("/health/ready", null);

        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", BareServer.json(ready).path("status").asText());
    }

    @Test
    void onShutdownRequestsAre503AndReadinessIsDownWhileLivenessStaysUp() throws Exception {
        hub.shutdown();

        HttpResponse<String> stats = server.get("/api/v1/stats", null);
        assertEquals(503, stats.statusCode(), stats.body());
        JsonNode refusal = BareServer.json(stats);
        assertEquals("UNAVAILABLE", refusal.path("code").asText(), refusal.toString());
        assertEquals("the hub is shutting down; retry shortly", refusal.path("message").asText());

        HttpResponse<String> ready = server.get("/health", null);
        assertEquals(503, ready.statusCode(), ready.body());
        JsonNode check = BareServer.json(ready).path("checks").path(0);
        assertEquals("DOWN", check.path("status").asText(), ready.body());
        assertEquals("shutting down", check.path("reason").asText(), ready.body());
        assertEquals(200, server.get("/health/live", null).statusCode());
    }
}

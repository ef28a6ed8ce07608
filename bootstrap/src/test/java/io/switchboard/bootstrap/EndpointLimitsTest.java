package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An endpoint's own limits ({@code hub.endpoints.<n>.limits}) over real sockets: they count the
 * endpoint's connections only, evict only among them, and a full auto-joined room of the endpoint
 * refuses before the 101 while the hub's room limit still governs explicit joins.
 */
class EndpointLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String YAML = """
            hub:
              auth:
                jwks: '%s'
              limits:
                per-user: 10
                per-room: 5
              endpoints:
                - path: /ws/dashboard
                  transport: websocket
                  limits: { per-user: 2 }
                - path: /ws/live
                  transport: websocket
                  limits: { per-user: 2, per-user-policy: evict-oldest }
                - path: /ws/projects/{projectId}
                  transport: websocket
                  rooms: [ "project:{projectId}" ]
                  limits: { per-room: 1 }
                - path: /api/v1/proposals/{id}/events
                  transport: sse
                  rooms: [ "proposal:{id}" ]
                  limits: { per-ip: 1 }
            """;

    @Test
    void anEndpointRefusesAUsersThirdConnectionWith503WhileWsStillAdmitsThatUser() throws Exception {
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        try (TestHub hub = TestHub.startWithYaml(YAML.formatted(AuthTest.JWKS), Map.of())) {
            List<RawWebSocket> open = new ArrayList<>();
            try {
                open.add(RawWebSocket.connect(uri(hub, "/ws/dashboard?token=" + alice), Map.of()));
                open.add(RawWebSocket.connect(uri(hub, "/ws/dashboard?token=" + alice), Map.of()));
                RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                        () -> RawWebSocket.connect(uri(hub, "/ws/dashboard?token=" + alice), Map.of()));
                assertEquals(503, refused.status());
                JsonNode body = JsonWebSocket.json().readTree(refused.body());
                assertEquals("CONNECTION_LIMIT", body.path("code").asText());
                assertTrue(body.path("message").asText().contains("/ws/dashboard"), body.toString());
                for (int i = 0; i < 3; i++) {
                    open.add(RawWebSocket.connect(hub.ws("?token=" + alice), Map.of()));
                    assertEquals("connected", JsonWebSocket.json().readTree(open.getLast().readText(WAIT)).path("type").asText(),
                            "/ws has no limit of its own; the hub's per-user limit (10) counts all five");
                }
                open.add(RawWebSocket.connect(uri(hub, "/ws/dashboard?token=" + AuthTest.token("bob", "", Duration.ofMinutes(5))),
                        Map.of()));
                JsonNode audit = JsonWebSocket.json().readTree(TestHub.send(java.net.http.HttpRequest.newBuilder(
                        hub.http("/api/v1/audit?types=limit.rejected&user=alice")).header("Authorization", "Bearer "
                        + AuthTest.token("root", "admin", Duration.ofMinutes(5))).build()).body());
                assertTrue(audit.toString().contains("/ws/dashboard"), "the refusal is audited: " + audit);
                open.removeFirst().close();
                awaitConnections(hub, 5);
                open.add(RawWebSocket.connect(uri(hub, "/ws/dashboard?token=" + alice), Map.of()));
            } finally {
                open.forEach(RawWebSocket::close);
            }
        }
    }

    @Test
    void anEndpointsEvictOldestClosesOnlyTheOldestConnectionToThatEndpoint() throws Exception {
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        try (TestHub hub = TestHub.startWithYaml(YAML.formatted(AuthTest.JWKS), Map.of());
             JsonWebSocket elsewhere = JsonWebSocket.connect(hub.ws("?token=" + alice));
             JsonWebSocket first = connected(uri(hub, "/ws/live?token=" + alice));
             JsonWebSocket second = connected(uri(hub, "/ws/live?token=" + alice));
             JsonWebSocket third = connected(uri(hub, "/ws/live?token=" + alice))) {
            elsewhere.nextOfType("connected", WAIT);
            assertEquals(4009, first.nextOfType("disconnect", WAIT).path("data").path("code").asInt());
            assertEquals(4009, first.closeCode().get(5, TimeUnit.SECONDS));
            awaitConnections(hub, 3);
            assertFalse(elsewhere.closeCode().isDone(), "alice's older /ws connection is not the endpoint's");
            assertFalse(second.closeCode().isDone() || third.closeCode().isDone());
        }
    }

    @Test
    void anEndpointsRoomLimitRefusesItsConnectionsWhileExplicitJoinsKeepTheHubsLimit() throws Exception {
        try (TestHub hub = TestHub.startWithYaml(YAML.formatted(AuthTest.JWKS), Map.of());
             JsonWebSocket member = connected(uri(hub, "/ws/projects/7"));
             JsonWebSocket viaWs = JsonWebSocket.connect(hub.ws())) {
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(uri(hub, "/ws/projects/7"), Map.of()));
            assertEquals(503, refused.status());
            JsonNode body = JsonWebSocket.json().readTree(refused.body());
            assertEquals("CONNECTION_LIMIT", body.path("code").asText());
            assertTrue(body.path("message").asText().contains("at most 1"), body.toString());
            viaWs.nextOfType("connected", WAIT);
            viaWs.join("project:7");
            assertEquals("project:7", viaWs.nextOfType("joined", WAIT).path("data").path("room").asText(),
                    "a join on /ws counts against hub.limits.per-room (5), not the endpoint's");
            assertFalse(member.closeCode().isDone());
        }
    }

    @Test
    void anSseEndpointsPerIpLimitLeavesTheGeneralStreamAlone() throws Exception {
        try (TestHub hub = TestHub.startWithYaml(YAML.formatted(AuthTest.JWKS), Map.of());
             SseClient first = SseClient.open(hub.http("/api/v1/proposals/9/events"), Map.of())) {
            assertEquals(200, first.status());
            var second = hub.get("/api/v1/proposals/9/events");
            assertEquals(503, second.statusCode());
            assertEquals("CONNECTION_LIMIT", JsonWebSocket.json().readTree(second.body()).path("code").asText());
            try (SseClient general = SseClient.open(hub.http("/sse?rooms=proposal:9"), Map.of())) {
                assertEquals(200, general.status(), "/sse has no limits of its own");
            }
        }
    }

    private static JsonWebSocket connected(URI uri) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(uri);
        client.nextOfType("connected", WAIT);
        return client;
    }

    private static void awaitConnections(TestHub hub, int expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (total(hub) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, total(hub));
    }

    private static int total(TestHub hub) throws Exception {
        return JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body()).path("connections").path("total").asInt();
    }

    private static URI uri(TestHub hub, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + hub.port() + pathAndQuery);
    }
}

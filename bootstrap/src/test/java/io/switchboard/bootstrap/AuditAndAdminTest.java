package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail, live and queried, for administrators only; and the admin API. */
class AuditAndAdminTest {
    private static final Duration LIVE = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration TTL = Duration.ofMinutes(5);
    private static TestHub hub;
    private static String adminToken;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithYaml("hub:\n  namespaces:\n    user:\n      access: owner\n",
                Map.of("hub.auth.jwks", AuthTest.JWKS, "hub.websocket.origins", "https://app.example.com", "hub.limits.per-user", "2"));
        adminToken = AuthTest.token("root", "admin", TTL);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void anAdminWatchingTheAuditStreamSeesEachDenialWithinASecond() throws Exception {
        try (JsonWebSocket watcher = JsonWebSocket.connect(URI("/ws/audit?token=" + adminToken))) {
            watcher.nextOfType("connected", WAIT);
            String forged = AuthTest.token("mallory", "", TTL).replaceAll(".{6}$", "AAAAAA");
            try (RawWebSocket bad = RawWebSocket.connect(hub.ws("?token=" + forged), Map.of())) {
                bad.awaitClose(WAIT);
            }
            JsonNode authFailed = nextAudit(watcher, "auth.failed");
            assertEquals("AUTH_INVALID", authFailed.path("outcome").asText());
            assertFalse(authFailed.toString().contains(forged.substring(10, 30)), "no token in the audit");

            try (JsonWebSocket alice = JsonWebSocket.connect(hub.ws("?token=" + AuthTest.token("alice", "", TTL)))) {
                alice.join("user:bob");
                JsonNode denied = nextAudit(watcher, "authz.denied");
                assertEquals("alice", denied.path("userId").asText());
                assertEquals("user:bob", denied.path("room").asText());
            }
            assertThrows(RawWebSocket.HandshakeRefused.class, () -> RawWebSocket.connect(hub.ws(), Map.of("Origin", "https://evil.example")));
            assertEquals("403", nextAudit(watcher, "connection.rejected").path("outcome").asText());
        }
    }

    @Test
    void theStreamCanBeFilteredByQueryOrByAFilterMessage() throws Exception {
        try (JsonWebSocket watcher = JsonWebSocket.connect(URI("/ws/audit?types=room.joined&token=" + adminToken))) {
            watcher.nextOfType("connected", WAIT);
            try (JsonWebSocket carol = JsonWebSocket.connect(hub.ws("?token=" + AuthTest.token("carol", "", TTL)))) {
                carol.join("lobby:filtered");
                JsonNode joined = nextAudit(watcher, "room.joined");
                assertEquals("lobby:filtered", joined.path("room").asText());
                assertEquals("room.joined", watcher.history().stream().filter(m -> m.path("type").asText().equals("audit"))
                        .map(m -> m.path("data").path("type").asText()).distinct().reduce((a, b) -> a + "," + b).orElse(""),
                        "only the filtered type arrives");
                watcher.send("{\"type\":\"filter\",\"data\":{\"types\":[\"room.left\"],\"user\":\"carol\"}}");
                Thread.sleep(200);
                carol.leave("lobby:filtered");
                assertEquals("lobby:filtered", nextAudit(watcher, "room.left").path("room").asText());
            }
        }
    }

    @Test
    void onlyAdministratorsMayWatchOrQueryTheAudit() throws Exception {
        try (RawWebSocket plain = RawWebSocket.connect(URI("/ws/audit?token=" + AuthTest.token("alice", "", TTL)), Map.of())) {
            assertEquals("FORBIDDEN", JsonWebSocket.json().readTree(plain.readText(WAIT)).path("data").path("code").asText());
            assertEquals(4003, plain.awaitClose(WAIT).closeCode());
        }
        try (RawWebSocket anonymous = RawWebSocket.connect(URI("/ws/audit"), Map.of())) {
            assertEquals(4003, anonymous.awaitClose(WAIT).closeCode());
        }
        var refused = hub.post("/api/v1/events", "{}", Map.of());
        assertEquals(401, refused.statusCode());
        var notAdmin = get("/api/v1/audit", AuthTest.token("alice", "publisher", TTL));
        assertEquals(403, notAdmin.statusCode());
        assertEquals("FORBIDDEN", JsonWebSocket.json().readTree(notAdmin.body()).path("code").asText());
        try (SseClient stream = SseClient.open(hub.http("/api/v1/audit/stream?token=" + AuthTest.token("alice", "", TTL)), Map.of())) {
            assertEquals(403, stream.status());
        }
    }

    /** An SSE stream refused by room policy is audited like a WebSocket client's denied join. */
    @Test
    void anSseStreamDeniedByRoomPolicyIsAuditedAsAuthzDenied() throws Exception {
        try (JsonWebSocket watcher = JsonWebSocket.connect(URI("/ws/audit?token=" + adminToken))) {
            watcher.nextOfType("connected", WAIT);
            var refused = hub.get("/sse?rooms=lobby:1,user:bob&token=" + AuthTest.token("sally", "", TTL));
            assertEquals(403, refused.statusCode(), refused.body());
            // sally's entry: an earlier test's refusals are written asynchronously and may still arrive
            JsonNode denied = nextAudit(watcher, "authz.denied", "sally");
            assertEquals("user:bob", denied.path("room").asText());
            assertEquals("/sse", denied.path("endpoint").asText());
            assertEquals("denied", denied.path("outcome").asText());
            assertFalse(denied.path("ip").asText().isEmpty(), denied.toString());
        }
        var stored = get("/api/v1/audit?types=authz.denied&user=sally", adminToken);
        JsonNode entries = JsonWebSocket.json().readTree(stored.body()).path("entries");
        assertEquals(1, entries.size(), stored.body());
        assertEquals("user:bob", entries.get(0).path("room").asText());
        var anonymous = hub.get("/sse?rooms=user:bob");
        assertEquals(403, anonymous.statusCode(), "no token: still the policy's denial");
    }

    @Test
    void theAuditIsQueryableByTypeAndUserAndStreamsOverSse() throws Exception {
        try (SseClient stream = SseClient.open(hub.http("/api/v1/audit/stream?types=room.joined&user=dave"),
                Map.of("Authorization", "Bearer " + adminToken));
             JsonWebSocket dave = JsonWebSocket.connect(hub.ws("?token=" + AuthTest.token("dave", "", TTL)))) {
            assertEquals(200, stream.status());
            stream.nextOfType("connected", WAIT);
            dave.join("lobby:dave");
            JsonNode live = stream.nextOfType("audit", WAIT).json().path("data");
            assertEquals("room.joined", live.path("type").asText());
            assertEquals("dave", live.path("userId").asText());

            var response = get("/api/v1/audit?types=room.joined&user=dave", adminToken);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode entries = JsonWebSocket.json().readTree(response.body()).path("entries");
            assertTrue(entries.size() >= 1, response.body());
            for (JsonNode entry : entries) {
                assertEquals("room.joined", entry.path("type").asText());
                assertEquals("dave", entry.path("userId").asText());
                assertTrue(entry.path("time").asText().endsWith("Z"));
            }
        }
    }

    @Test
    void adminsListConnectionsAndRoomsAndKickAClient() throws Exception {
        try (JsonWebSocket erin = JsonWebSocket.connect(hub.ws("?token=" + AuthTest.token("erin", "", TTL)))) {
            String id = erin.nextOfType("connected", WAIT).path("data").path("connectionId").asText();
            erin.join("lobby:erin");
            erin.nextOfType("joined", WAIT);
            hub.publish("{\"room\":\"lobby:erin\",\"type\":\"t\",\"data\":1}");

            JsonNode connections = JsonWebSocket.json().readTree(get("/api/v1/admin/connections?user=erin", adminToken).body()).path("connections");
            assertEquals(1, connections.size(), connections.toString());
            assertEquals(id, connections.get(0).path("connectionId").asText());
            assertEquals("lobby:erin", connections.get(0).path("rooms").get(0).asText());

            JsonNode rooms = JsonWebSocket.json().readTree(get("/api/v1/admin/rooms", adminToken).body()).path("rooms");
            JsonNode lobby = null;
            for (JsonNode room : rooms) {
                if (room.path("room").asText().equals("lobby:erin")) {
                    lobby = room;
                }
            }
            assertEquals(1, lobby.path("subscribers").asInt(), rooms.toString());
            assertFalse(lobby.path("lastId").asText().isEmpty());

            var kicked = hub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/admin/connections/" + id))
                    .header("Authorization", "Bearer " + adminToken).DELETE().build());
            assertEquals(202, kicked.statusCode(), kicked.body());
            JsonNode disconnect = erin.nextOfType("disconnect", WAIT).path("data");
            assertEquals(4500, disconnect.path("code").asInt());
            assertFalse(disconnect.path("reconnect").asBoolean(true));
            assertEquals(4500, erin.closeCode().get(5, TimeUnit.SECONDS));
            var gone = hub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/admin/connections/" + id))
                    .header("Authorization", "Bearer " + adminToken).DELETE().build());
            assertEquals(404, gone.statusCode());
        }
    }

    private static JsonNode nextAudit(JsonWebSocket watcher, String type) {
        return nextAudit(watcher, type, null);
    }

    /** The next live audit entry of {@code type} (and of {@code userId}, unless {@code null}). */
    private static JsonNode nextAudit(JsonWebSocket watcher, String type, String userId) {
        long deadline = System.nanoTime() + LIVE.toNanos();
        while (true) {
            JsonNode message = watcher.nextOfType("audit", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            JsonNode entry = message.path("data");
            if (entry.path("type").asText().equals(type) && (userId == null || userId.equals(entry.path("userId").asText()))) {
                return entry;
            }
        }
    }

    private static java.net.URI URI(String pathAndQuery) {
        return java.net.URI.create("ws://127.0.0.1:" + hub.port() + pathAndQuery);
    }

    private static java.net.http.HttpResponse<String> get(String path, String token) {
        return hub.send(java.net.http.HttpRequest.newBuilder(hub.http(path)).header("Authorization", "Bearer " + token).GET().build());
    }
}

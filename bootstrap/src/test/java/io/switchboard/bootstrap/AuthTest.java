package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JWT authentication on the endpoints: modes, failure answers, live expiry and refresh, publisher tokens. */
class AuthTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    static final String JWKS = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"dev\",\"alg\":\"HS256\","
            + "\"k\":\"ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQtY2hhbmdlLW1lLXBsZWFzZSE\"}]}";

    @Test
    void optionalAuthLetsAnonymousClientsInAndNamesAuthenticatedOnes() throws Exception {
        try (TestHub hub = hub(Map.of())) {
            try (JsonWebSocket anonymous = JsonWebSocket.connect(hub.ws())) {
                assertTrue(anonymous.nextOfType("connected", WAIT).path("data").path("userId").isMissingNode());
            }
            try (JsonWebSocket alice = JsonWebSocket.connect(hub.ws("?token=" + token("alice", "", Duration.ofMinutes(5))))) {
                assertEquals("alice", alice.nextOfType("connected", WAIT).path("data").path("userId").asText());
            }
            try (JsonWebSocket bob = JsonWebSocket.connect(hub.ws(), Map.of("Authorization", "Bearer " + token("bob", "", Duration.ofMinutes(5))))) {
                assertEquals("bob", bob.nextOfType("connected", WAIT).path("data").path("userId").asText());
            }
            try (RawWebSocket carol = RawWebSocket.connect(hub.ws(), Map.of("Cookie", "theme=dark; switchboard_token=" + token("carol", "", Duration.ofMinutes(5))))) {
                assertEquals("carol", JsonWebSocket.json().readTree(carol.readText(WAIT)).path("data").path("userId").asText());
            }
        }
    }

    @Test
    void aBadTokenGetsAnErrorAndClose4001WithoutTheTokenEchoed() throws Exception {
        try (TestHub hub = hub(Map.of())) {
            String forged = token("alice", "", Duration.ofMinutes(5)).replaceAll(".{6}$", "AAAAAA");
            try (RawWebSocket client = RawWebSocket.connect(hub.ws("?token=" + forged), Map.of())) {
                JsonNode error = JsonWebSocket.json().readTree(client.readText(WAIT));
                assertEquals("error", error.path("type").asText());
                assertEquals("AUTH_INVALID", error.path("data").path("code").asText());
                assertTrue(error.path("data").path("message").asText().contains("signature"), error.toString());
                JsonNode disconnect = JsonWebSocket.json().readTree(client.readText(WAIT));
                assertEquals(4001, disconnect.path("data").path("code").asInt());
                RawWebSocket.Frame close = client.awaitClose(WAIT);
                assertEquals(4001, close.closeCode());
                assertFalse((error.toString() + disconnect + close.closeReason()).contains(forged.substring(20, 40)), "no token echoed");
            }
            assertEquals(0, stats(hub).path("connections").path("total").asInt(), "a refused client is never counted");
        }
    }

    @Test
    void requiredAuthRefusesClientsWithoutATokenAndRejectModeAnswers401BeforeTheUpgrade() throws Exception {
        try (TestHub hub = hub(Map.of("hub.websocket.auth", "required"))) {
            try (RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
                assertEquals("AUTH_INVALID", JsonWebSocket.json().readTree(client.readText(WAIT)).path("data").path("code").asText());
                assertEquals(4001, client.awaitClose(WAIT).closeCode());
            }
        }
        try (TestHub hub = hub(Map.of("hub.websocket.auth", "required", "hub.websocket.auth-failure", "reject"))) {
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(hub.ws(), Map.of()));
            assertEquals(401, refused.status());
            assertEquals("AUTH_INVALID", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
            RawWebSocket.HandshakeRefused expired = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(hub.ws("?token=" + token("alice", "", Duration.ofSeconds(-60))), Map.of()));
            assertEquals("AUTH_EXPIRED", JsonWebSocket.json().readTree(expired.body()).path("code").asText());
        }
    }

    @Test
    void aTokenExpiringOnALiveConnectionClosesIt4001UnlessRefreshed() throws Exception {
        try (TestHub hub = hub(Map.of("hub.heartbeat.interval", "200ms", "hub.heartbeat.timeout", "5s"))) {
            JsonWebSocket expiring = JsonWebSocket.connect(hub.ws("?token=" + token("alice", "", Duration.ofSeconds(2))));
            JsonWebSocket refreshed = JsonWebSocket.connect(hub.ws("?token=" + token("bob", "", Duration.ofSeconds(2))));
            expiring.nextOfType("connected", WAIT);
            refreshed.nextOfType("connected", WAIT);
            refreshed.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + token("mallory", "", Duration.ofMinutes(5)) + "\"}}");
            assertEquals("AUTH_INVALID", refreshed.nextOfType("error", WAIT).path("data").path("code").asText(), "another user's token");
            refreshed.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + token("bob", "", Duration.ofMinutes(5)) + "\"}}");

            JsonNode error = expiring.nextOfType("error", WAIT);
            assertEquals("AUTH_EXPIRED", error.path("data").path("code").asText());
            assertEquals(4001, expiring.closeCode().get(5, java.util.concurrent.TimeUnit.SECONDS));

            refreshed.send("{\"type\":\"ping\",\"data\":1}");
            assertEquals("pong", refreshed.nextOfType("pong", WAIT).path("type").asText());
            assertFalse(refreshed.closeCode().isDone(), "the refreshed connection stays open");
            refreshed.close();
        }
    }

    @Test
    void sseAnswers401WithAJsonBody() throws Exception {
        try (TestHub hub = hub(Map.of("hub.sse.auth", "required"))) {
            var refused = hub.get("/sse?rooms=demo:1");
            assertEquals(401, refused.statusCode());
            assertEquals("AUTH_INVALID", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
            try (SseClient sse = SseClient.open(hub.http("/sse?rooms=demo:1&token=" + token("alice", "", Duration.ofMinutes(5))), Map.of())) {
                assertEquals(200, sse.status());
                assertEquals("alice", sse.nextOfType("connected", WAIT).json().path("data").path("userId").asText());
            }
        }
    }

    @Test
    void publishersAuthenticateWithATokenCarryingThePublisherRole() throws Exception {
        try (TestHub hub = hub(Map.of())) {
            String event = "{\"room\":\"demo:1\",\"type\":\"t\",\"data\":1}";
            assertEquals(202, hub.post("/api/v1/events", event,
                    Map.of("Authorization", "Bearer " + token("backend", "publisher", Duration.ofMinutes(5)))).statusCode());
            var notPublisher = hub.post("/api/v1/events", event, Map.of("Authorization", "Bearer " + token("alice", "admin", Duration.ofMinutes(5))));
            assertEquals(403, notPublisher.statusCode(), notPublisher.body());
            assertEquals(401, hub.post("/api/v1/events", event, Map.of()).statusCode(), "with JWT configured, loopback alone is not enough");
            assertEquals(401, hub.post("/api/v1/events", event, Map.of("Authorization", "Bearer not-a-token")).statusCode());
        }
    }

    @Test
    void theTokenCommandMintsATokenTheHubAccepts() throws Exception {
        String token = TokenCommand.mint(new String[] {"--sub", "dave", "--roles", "admin,publisher", "--rooms", "project:*", "--ttl", "10m"},
                Map.of("HUB_AUTH_JWKS", JWKS), Clock.systemUTC());
        try (TestHub hub = hub(Map.of()); JsonWebSocket dave = JsonWebSocket.connect(hub.ws("?token=" + token))) {
            assertEquals("dave", dave.nextOfType("connected", WAIT).path("data").path("userId").asText());
        }
        StartupException noKey = assertThrows(StartupException.class,
                () -> TokenCommand.mint(new String[] {"--sub", "dave"}, Map.of(), Clock.systemUTC()));
        assertTrue(noKey.getMessage().contains("hub.auth.jwks"), noKey.getMessage());
    }

    private static TestHub hub(Map<String, String> config) {
        Map<String, String> all = new HashMap<>(config);
        all.put("hub.auth.jwks", JWKS);
        return TestHub.start(all);
    }

    /** @param ttl negative for an already expired token */
    static String token(String sub, String roles, Duration ttl) {
        return token(sub, roles, "", ttl);
    }

    /** @param rooms comma-separated room patterns for the rooms claim */
    static String token(String sub, String roles, String rooms, Duration ttl) {
        Instant now = Instant.now();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        if (ttl.isNegative()) {
            clock = Clock.fixed(now.plus(ttl).minus(Duration.ofMinutes(1)), ZoneOffset.UTC);
            ttl = Duration.ofMinutes(1);
        }
        return io.switchboard.adapters.security.SecurityAdapter.mint(JWKS, new io.switchboard.adapters.security.TokenRules(null, null, Duration.ofSeconds(5)),
                sub, roles.isEmpty() ? java.util.List.of() : java.util.List.of(roles.split(",")),
                rooms.isEmpty() ? java.util.List.of() : java.util.List.of(rooms.split(",")), ttl, clock);
    }

    private static JsonNode stats(TestHub hub) throws Exception {
        return JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body());
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Room authorization per namespace: a denied join gets error FORBIDDEN and the connection stays. */
class RoomAuthorizationTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String YAML = """
            hub:
              namespaces:
                project:
                  access: claim
                user:
                  access: owner
                ops:
                  access: role:operator
                team:
                  access: authenticated
                review:
                  access: members
            """;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithYaml(YAML, Map.of("hub.auth.jwks", AuthTest.JWKS));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void claimPolicyFollowsTheTokensRoomsPatterns() throws Exception {
        try (JsonWebSocket alice = client(AuthTest.token("alice", "", "project:1*,demo:x", TTL))) {
            assertJoined(alice, "project:1");
            assertJoined(alice, "project:12");
            assertForbidden(alice, "project:2");
        }
    }

    @Test
    void ownerPolicyLetsUsersIntoTheirOwnRoomOnly() throws Exception {
        try (JsonWebSocket alice = client(AuthTest.token("alice", "", TTL))) {
            assertJoined(alice, "user:alice");
            assertForbidden(alice, "user:bob");
        }
    }

    @Test
    void rolePolicyNeedsTheRoleAndAdminsMayJoinAnyRoom() throws Exception {
        try (JsonWebSocket plain = client(AuthTest.token("carol", "", TTL));
             JsonWebSocket operator = client(AuthTest.token("dave", "operator", TTL));
             JsonWebSocket admin = client(AuthTest.token("root", "admin", TTL))) {
            assertForbidden(plain, "ops:deploys");
            assertJoined(operator, "ops:deploys");
            assertJoined(admin, "ops:deploys");
            assertJoined(admin, "user:bob");
        }
    }

    @Test
    void anonymousClientsGetOnlyPublicRooms() throws Exception {
        try (JsonWebSocket anonymous = JsonWebSocket.connect(hub.ws())) {
            anonymous.nextOfType("connected", WAIT);
            assertForbidden(anonymous, "team:red");
            assertJoined(anonymous, "lobby:1");
        }
        try (JsonWebSocket member = client(AuthTest.token("erin", "", TTL))) {
            assertJoined(member, "team:red");
        }
    }

    @Test
    void membersPolicyFollowsTheMembershipListKeptByTheBackend() throws Exception {
        String backend = "Bearer " + AuthTest.token("backend", "publisher", TTL);
        assertEquals(200, hub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/rooms/review:7/members/frank"))
                .header("Authorization", backend).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        var list = hub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/rooms/review:7/members"))
                .header("Authorization", backend).GET().build());
        assertEquals("frank", JsonWebSocket.json().readTree(list.body()).path("members").get(0).asText(), list.body());
        try (JsonWebSocket frank = client(AuthTest.token("frank", "", TTL));
             JsonWebSocket grace = client(AuthTest.token("grace", "", TTL))) {
            assertJoined(frank, "review:7");
            assertForbidden(grace, "review:7");
            assertForbidden(frank, "review:8");
        }
        assertEquals(204, hub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/rooms/review:7/members/frank"))
                .header("Authorization", backend).DELETE().build()).statusCode());
        try (JsonWebSocket frank = client(AuthTest.token("frank", "", TTL))) {
            assertForbidden(frank, "review:7");
        }
        var anonymous = hub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/rooms/review:7/members/eve"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(401, anonymous.statusCode(), "only backends and admins keep membership");
    }

    @Test
    void sseRefusesADeniedRoomWith403BeforeTheStream() throws Exception {
        var refused = hub.get("/sse?rooms=lobby:1,user:bob&token=" + AuthTest.token("alice", "", TTL));
        assertEquals(403, refused.statusCode());
        JsonNode body = JsonWebSocket.json().readTree(refused.body());
        assertEquals("FORBIDDEN", body.path("code").asText());
        assertTrue(body.path("message").asText().contains("user:bob"), body.toString());
    }

    @Test
    void aBadPolicyOrOneThatNeedsTokensWithoutAKeyFailsTheStart() {
        StartupException bad = assertThrows(StartupException.class,
                () -> TestHub.startWithYaml("hub:\n  namespaces:\n    project:\n      access: friends\n", Map.of("hub.auth.jwks", AuthTest.JWKS)));
        assertTrue(bad.getMessage().contains("hub.namespaces.project.access"), bad.getMessage());
        StartupException noKey = assertThrows(StartupException.class,
                () -> TestHub.startWithYaml("hub:\n  namespaces:\n    project:\n      access: claim\n", Map.of()));
        assertTrue(noKey.getMessage().contains("hub.auth.jwks"), noKey.getMessage());
    }

    private static JsonWebSocket client(String token) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws("?token=" + token));
        client.nextOfType("connected", WAIT);
        return client;
    }

    private static void assertJoined(JsonWebSocket client, String room) {
        client.join(room);
        JsonNode answer = client.next(WAIT);
        assertEquals("joined", answer.path("type").asText(), room + ": " + answer);
        assertEquals(room, answer.path("data").path("room").asText());
    }

    private static void assertForbidden(JsonWebSocket client, String room) {
        client.join(room);
        JsonNode answer = client.next(WAIT);
        assertEquals("error", answer.path("type").asText(), room + ": " + answer);
        assertEquals("FORBIDDEN", answer.path("data").path("code").asText());
        assertTrue(answer.path("data").path("message").asText().contains(room), answer.toString());
        client.send("{\"type\":\"ping\",\"data\":\"still here\"}");
        assertEquals("still here", client.nextOfType("pong", WAIT).path("data").asText(), "the connection stays");
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import io.switchboard.bootstrap.testing.TwoNodeCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC 14: revocation reaches open connections. A removed member, a deleted declared room and a
 * refresh with a token that no longer grants a room end those subscriptions at once: {@code left
 * {room, reason}}, then nothing more of the room, while the rest of the connection and everyone else
 * keep being served.
 */
class RevocationTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    /** SPEC 14: within 1 s. */
    private static final Duration REVOKED_WITHIN = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HUB_YAML = """
              namespaces:
                review:
                  access: members
                project:
                  access: claim
                hook:
                  must-exist: true
            """;

    @TempDir
    Path temp;

    @Test
    void aRemovedMemberLeavesTheRoomOnItsOpenWebSocket() throws Exception {
        try (TestHub hub = hub()) {
            addMember(hub::http, "review:7", "frank");
            addMember(hub::http, "review:7", "grace");
            try (JsonWebSocket frank = joined(hub.ws(), "frank", "review:7", "lobby:1");
                 JsonWebSocket grace = joined(hub.ws(), "grace", "review:7")) {
                assertEquals(204, removeMember(hub::http, "review:7", "frank").statusCode());
                assertLeft(frank, "review:7", "FORBIDDEN");
                assertNothingMoreOfTheRoom(hub::http, frank, "review:7", "lobby:1");
                assertEquals("after-revocation", grace.nextOfType("tick", WAIT).path("data").path("m").asText(), "grace keeps the room");
            }
        }
    }

    @Test
    void aRemovedMemberLeavesTheRoomOnItsOpenSseStream() throws Exception {
        try (TestHub hub = hub()) {
            addMember(hub::http, "review:8", "frank");
            try (SseClient both = SseClient.open(hub.http("/sse?rooms=review:8,lobby:2&token=" + token("frank", "")), Map.of());
                 SseClient only = SseClient.open(hub.http("/sse?rooms=review:8&token=" + token("frank", "")), Map.of())) {
                both.nextOfType("joined", WAIT);
                only.nextOfType("joined", WAIT);
                removeMember(hub::http, "review:8", "frank");
                JsonNode left = both.nextOfType("left", REVOKED_WITHIN).json();
                assertEquals("review:8", left.path("data").path("room").asText(), left.toString());
                assertEquals("FORBIDDEN", left.path("data").path("reason").asText(), left.toString());
                publish(hub::http, "review:8", "after");
                publish(hub::http, "lobby:2", "other-room");
                SseClient.Block next = both.nextEvents(1, WAIT).getFirst();
                assertEquals("lobby:2", next.json().path("room").asText(), "nothing more of the revoked room: " + next);

                assertEquals("review:8", only.nextOfType("left", REVOKED_WITHIN).json().path("data").path("room").asText());
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!only.ended() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(only.ended(), "a stream whose every room was revoked ends");
            }
            assertEquals(403, hub.get("/sse?rooms=review:8&token=" + token("frank", "")).statusCode(), "and its reconnect is refused");
        }
    }

    @Test
    void aDeletedDeclaredRoomEndsItsSubscriptions() throws Exception {
        try (TestHub hub = hub()) {
            HttpResponse<String> declared = send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/hook:abc"))
                    .header("Authorization", backend()).PUT(HttpRequest.BodyPublishers.noBody()));
            assertEquals(201, declared.statusCode(), declared.body());
            try (JsonWebSocket client = joined(hub.ws(), "frank", "hook:abc", "lobby:3")) {
                assertEquals(204, send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/hook:abc"))
                        .header("Authorization", backend()).DELETE()).statusCode());
                assertLeft(client, "hook:abc", "ROOM_NOT_FOUND");
                publish(hub::http, "lobby:3", "marker");
                JsonNode next = client.nextOfType("tick", WAIT);
                assertEquals("lobby:3", next.path("room").asText(), "the connection keeps its other rooms: " + next);
            }
        }
    }

    @Test
    void aRefreshWhoseTokenNoLongerGrantsARoomLeavesIt() throws Exception {
        try (TestHub hub = hub();
             JsonWebSocket alice = JsonWebSocket.connect(hub.ws(), Map.of("Authorization", "Bearer "
                     + AuthTest.token("alice", "", "project:1,project:2", TTL)))) {
            alice.nextOfType("connected", WAIT);
            for (String room : new String[] {"project:1", "project:2"}) {
                alice.join(room);
                alice.nextOfType("joined", WAIT);
            }
            alice.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + AuthTest.token("alice", "", "project:2", TTL) + "\"}}");
            assertLeft(alice, "project:1", "FORBIDDEN");
            assertNothingMoreOfTheRoom(hub::http, alice, "project:1", "project:2");
        }
    }

    /** On a PostgreSQL cluster: the member is removed through node A, its connection on node B leaves within 1 s. */
    @Test
    void aMemberRemovedOnOneNodeLeavesOnTheOther() throws Exception {
        try (TwoNodeCluster cluster = TwoNodeCluster.start(temp, "sb_revoke", RevocationTest.class,
                "  auth:\n    jwks: '" + AuthTest.JWKS + "'\n" + HUB_YAML)) {
            Function<String, URI> onA = path -> URI.create("http://127.0.0.1:" + cluster.a().port() + path);
            addMember(onA, "review:9", "frank");
            try (JsonWebSocket frank = joined(cluster.b().ws(), "frank", "review:9", "lobby:4")) {
                assertEquals(204, removeMember(onA, "review:9", "frank").statusCode());
                assertLeft(frank, "review:9", "FORBIDDEN");
                assertNothingMoreOfTheRoom(onA, frank, "review:9", "lobby:4");
            }
        }
    }

    private static TestHub hub() {
        return TestHub.startWithYaml("hub:\n" + HUB_YAML, Map.of("hub.auth.jwks", AuthTest.JWKS));
    }

    private static JsonWebSocket joined(URI ws, String user, String... rooms) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(ws, Map.of("Authorization", "Bearer " + token(user, "")));
        client.nextOfType("connected", WAIT);
        for (String room : rooms) {
            client.join(room);
            JsonNode joined = client.nextOfType("joined", WAIT);
            assertEquals(room, joined.path("data").path("room").asText(), joined.toString());
        }
        return client;
    }

    private static void assertLeft(JsonWebSocket client, String room, String reason) {
        JsonNode left = client.nextOfType("left", REVOKED_WITHIN);
        assertEquals(room, left.path("data").path("room").asText(), left.toString());
        assertEquals(reason, left.path("data").path("reason").asText(), left.toString());
    }

    /** Publishes to the revoked room, then to a room the client is still in: only the latter arrives. */
    private static void assertNothingMoreOfTheRoom(Function<String, URI> publisher, JsonWebSocket client,
                                                   String revoked, String stillIn) {
        publish(publisher, revoked, "after-revocation");
        publish(publisher, stillIn, "marker");
        JsonNode next = client.nextOfType("tick", WAIT);
        assertEquals(stillIn, next.path("room").asText(), "nothing more of " + revoked + ": " + next);
        assertEquals("marker", next.path("data").path("m").asText(), next.toString());
    }

    private static void publish(Function<String, URI> http, String room, String marker) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(http.apply("/api/v1/events"))
                .header("Authorization", backend()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room + "\",\"type\":\"tick\",\"data\":{\"m\":\"" + marker + "\"}}")));
        assertEquals(202, response.statusCode(), response.body());
    }

    private static void addMember(Function<String, URI> http, String room, String user) {
        HttpResponse<String> added = send(HttpRequest.newBuilder(http.apply("/api/v1/rooms/" + room + "/members/" + user))
                .header("Authorization", backend()).PUT(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, added.statusCode(), added.body());
    }

    private static HttpResponse<String> removeMember(Function<String, URI> http, String room, String user) {
        return send(HttpRequest.newBuilder(http.apply("/api/v1/rooms/" + room + "/members/" + user))
                .header("Authorization", backend()).DELETE());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return TestHub.send(request.build());
    }

    private static String backend() {
        return "Bearer " + token("backend", "publisher");
    }

    private static String token(String user, String roles) {
        return AuthTest.token(user, roles, TTL);
    }
}

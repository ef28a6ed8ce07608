package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/rooms/{room}/events} (SPEC 16) over a real socket: events as a WebSocket client
 * receives them, since and limit, trimmed history, bad input, and who may read which room.
 */
class HistoryApiTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String KEY = "history-test-publisher-key";
    private static final String YAML = """
            hub:
              history:
                max-events: 5
              namespaces:
                project:
                  access: claim
                box:
                  must-exist: true
                  not-found-message: Box not found
            """;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithYaml(YAML, Map.of("hub.auth.jwks", AuthTest.JWKS, "hub.publish.api-keys", KEY));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void eventsAreWhatAWebSocketClientReceivesOldestFirst() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.nextOfType("connected", WAIT);
            client.join("lobby:shape");
            client.nextOfType("joined", WAIT);
            publish("{\"room\":\"lobby:shape\",\"type\":\"task_update\",\"data\":{\"progress\":0.5},\"meta\":{\"correlationId\":\"c-1\"}}");
            publish("{\"room\":\"lobby:shape\",\"type\":\"alert\",\"data\":[1,\"two\"],\"critical\":true}");
            publish("{\"room\":\"lobby:shape\",\"type\":\"note\",\"data\":null}");
            List<JsonNode> delivered = client.nextEvents(3, WAIT);

            JsonNode page = read("/api/v1/rooms/lobby:shape/events", null, 200);

            assertEquals("lobby:shape", page.path("room").asText());
            assertEquals(List.copyOf(delivered), list(page.path("events")));
            assertTrue(page.path("recovered").asBoolean(), page.toString());
            assertFalse(page.has("reason"), page.toString());
            assertEquals(delivered.getFirst().path("id").asText(), page.path("oldestId").asText());
            assertEquals(delivered.getLast().path("id").asText(), page.path("lastId").asText());
        }
    }

    @Test
    void sinceGivesTheGapAndLimitCutsItWithoutSinceTheNewest() throws Exception {
        List<String> ids = publishNumbered("lobby:paging", 4);

        JsonNode first = read("/api/v1/rooms/lobby:paging/events?since=" + ids.get(0) + "&limit=2", null, 200);
        assertEquals(ids.subList(1, 3), ids(first));
        assertEquals(ids.get(3), first.path("lastId").asText(), "the room's newest id: there is more");
        JsonNode rest = read("/api/v1/rooms/lobby:paging/events?since=" + ids.get(2), null, 200);
        assertEquals(ids.subList(3, 4), ids(rest));
        JsonNode newest = read("/api/v1/rooms/lobby:paging/events?limit=3", null, 200);
        assertEquals(ids.subList(1, 4), ids(newest));
        assertEquals(ids.get(0), newest.path("oldestId").asText());
        JsonNode empty = read("/api/v1/rooms/lobby:never-used/events", null, 200);
        assertEquals(0, empty.path("events").size());
        assertTrue(empty.path("oldestId").isNull(), empty.toString());
    }

    @Test
    void aSinceOutsideTheHistoryIsNotRecoveredWithTheReasonAndTheStateDocument() throws Exception {
        List<String> ids = publishNumbered("lobby:trimmed", 8);
        HttpResponse<String> put = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/lobby:trimmed/state"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"count\":8}")).build());
        assertEquals(200, put.statusCode(), put.body());

        JsonNode trimmed = read("/api/v1/rooms/lobby:trimmed/events?since=" + ids.get(0), null, 200);
        assertFalse(trimmed.path("recovered").asBoolean(), trimmed.toString());
        assertEquals("history_trimmed", trimmed.path("reason").asText());
        assertEquals(0, trimmed.path("events").size(), "never a partial replay");
        assertEquals(ids.get(3), trimmed.path("oldestId").asText(), "five kept of eight");
        assertEquals(ids.get(7), trimmed.path("lastId").asText());
        assertEquals(8, trimmed.path("state").path("state").path("count").asInt(), trimmed.toString());
        assertEquals(ids.get(7), trimmed.path("state").path("lastId").asText());

        JsonNode ahead = read("/api/v1/rooms/lobby:trimmed/events?since=" + (Long.parseLong(ids.get(7)) + 10), null, 200);
        assertEquals("unknown_position", ahead.path("reason").asText());
        assertEquals(ids.subList(3, 8), ids(read("/api/v1/rooms/lobby:trimmed/events?since=" + ids.get(2), null, 200)));
    }

    @Test
    void badLimitSinceOrRoomIs400WithAClearMessage() throws Exception {
        for (String limit : List.of("0", "1001", "-1", "abc", "", "1.5", "99999999999")) {
            JsonNode error = read("/api/v1/rooms/lobby:bad/events?limit=" + limit, null, 400);
            assertEquals("MESSAGE_INVALID", error.path("code").asText());
            assertEquals("limit must be a whole number from 1 to 1000", error.path("message").asText(), "limit=" + limit);
        }
        read("/api/v1/rooms/lobby:bad/events?limit=1000", null, 200);
        read("/api/v1/rooms/lobby:bad/events?limit=1", null, 200);
        for (String since : List.of("abc", "-1", "", "12345678901234567890")) {
            JsonNode error = read("/api/v1/rooms/lobby:bad/events?since=" + since, null, 400);
            assertEquals("since must be an event id (a decimal number)", error.path("message").asText(), "since=" + since);
        }
        JsonNode badRoom = read("/api/v1/rooms/bad%20room/events", null, 400);
        assertTrue(badRoom.path("message").asText().startsWith("room: "), badRoom.toString());
        JsonNode reserved = read("/api/v1/rooms/%24commands/events", "Bearer " + KEY, 403);
        assertEquals("FORBIDDEN", reserved.path("code").asText());
    }

    @Test
    void aPrivateRoomNeedsATokenThatGrantsItOrAPublisherOrAdmin() throws Exception {
        publishNumbered("project:7", 2);

        JsonNode anonymous = read("/api/v1/rooms/project:7/events", null, 401);
        assertEquals("AUTH_INVALID", anonymous.path("code").asText());
        JsonNode other = read("/api/v1/rooms/project:7/events", "Bearer " + AuthTest.token("alice", "", "project:8", TTL), 403);
        assertEquals("FORBIDDEN", other.path("code").asText());
        assertTrue(other.path("message").asText().contains("project:7"), other.toString());
        JsonNode denied = audited("authz.denied", "alice", "project:7");
        assertEquals("/api/v1/rooms/{room}/events", denied.path("endpoint").asText(), denied.toString());
        assertEquals("denied", denied.path("outcome").asText());
        JsonNode forged = read("/api/v1/rooms/project:7/events", "Bearer not-a-token", 401);
        assertEquals("AUTH_INVALID", forged.path("code").asText());
        JsonNode expired = read("/api/v1/rooms/project:7/events", "Bearer " + AuthTest.token("alice", "", "project:7", TTL.negated()), 401);
        assertEquals("AUTH_EXPIRED", expired.path("code").asText());

        assertEquals(2, read("/api/v1/rooms/project:7/events", "Bearer " + AuthTest.token("alice", "", "project:7", TTL), 200)
                .path("events").size());
        assertEquals(2, read("/api/v1/rooms/project:7/events?token=" + AuthTest.token("alice", "", "project:*", TTL), null, 200)
                .path("events").size());
        assertEquals(2, read("/api/v1/rooms/project:7/events", "Bearer " + KEY, 200).path("events").size());
        assertEquals(2, read("/api/v1/rooms/project:7/events", "Bearer " + AuthTest.token("backend", "publisher", TTL), 200)
                .path("events").size());
        assertEquals(2, read("/api/v1/rooms/project:7/events", "Bearer " + AuthTest.token("root", "admin", TTL), 200)
                .path("events").size());
    }

    @Test
    void anUndeclaredRoomOfAMustExistNamespaceIsNotFoundAsForJoin() throws Exception {
        JsonNode missing = read("/api/v1/rooms/box:1/events", null, 404);
        assertEquals("ROOM_NOT_FOUND", missing.path("code").asText());
        assertEquals("Box not found", missing.path("message").asText());
        HttpResponse<String> declared = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/box:1"))
                .header("Authorization", "Bearer " + KEY).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, declared.statusCode(), declared.body());
        assertEquals(0, read("/api/v1/rooms/box:1/events", null, 200).path("events").size());
    }

    /** The audit entry of {@code type} for {@code user} in {@code room}, once the trail has stored it. */
    private static JsonNode audited(String type, String user, String room) throws Exception {
        String admin = "Bearer " + AuthTest.token("auditor", "admin", TTL);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode entries = read("/api/v1/audit?types=" + type + "&user=" + user + "&room=" + room, admin, 200).path("entries");
            if (!entries.isEmpty() || System.nanoTime() > deadline) {
                assertEquals(1, entries.size(), entries.toString());
                return entries.get(0);
            }
            Thread.sleep(50);
        }
    }

    private static void publish(String event) {
        HttpResponse<String> published = hub.post("/api/v1/events", event, Map.of("Authorization", "Bearer " + KEY));
        assertEquals(202, published.statusCode(), published.body());
    }

    /** Publishes {@code count} events to {@code room}, one request each; their ids in order. */
    private static List<String> publishNumbered(String room, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> published = hub.post("/api/v1/events", "{\"room\":\"" + room + "\",\"type\":\"n\",\"data\":" + i + "}",
                    Map.of("Authorization", "Bearer " + KEY));
            assertEquals(202, published.statusCode(), published.body());
            ids.add(JsonWebSocket.json().readTree(published.body()).path("ids").path(room).asText());
        }
        return ids;
    }

    private static JsonNode read(String path, String authorization, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.http(path)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = TestHub.send(request.build());
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JsonWebSocket.json().readTree(response.body());
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static List<String> ids(JsonNode page) {
        return list(page.path("events")).stream().map(e -> e.path("id").asText()).toList();
    }
}

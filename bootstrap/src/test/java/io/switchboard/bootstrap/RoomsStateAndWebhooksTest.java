package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Declared rooms (must-exist), room state documents with sync, and webhook capture (seed 004's server side). */
class RoomsStateAndWebhooksTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithYaml("""
                hub:
                  history:
                    max-events: 3
                  webhooks:
                    max-body-bytes: 1000
                  namespaces:
                    webhook:
                      must-exist: true
                      not-found-message: Webhook not found
                """, Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void roomsOfAMustExistNamespaceNeedDeclaringAndUndeclaredOnesGetTheNamespacesMessage() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("webhook:nope");
            JsonNode error = client.nextOfType("error", WAIT).path("data");
            assertEquals("ROOM_NOT_FOUND", error.path("code").asText());
            assertEquals("Webhook not found", error.path("message").asText());

            assertEquals(201, put("/api/v1/rooms/webhook:declared").statusCode());
            assertEquals(200, put("/api/v1/rooms/webhook:declared").statusCode(), "declaring twice is fine");
            client.join("webhook:declared");
            assertEquals("webhook:declared", client.nextOfType("joined", WAIT).path("data").path("room").asText());
            assertEquals(204, delete("/api/v1/rooms/webhook:declared").statusCode());
            assertEquals(404, delete("/api/v1/rooms/webhook:declared").statusCode());
            var publish = hub.publish("{\"room\":\"webhook:nope\",\"type\":\"x\",\"data\":1}");
            assertEquals(400, publish.statusCode());
            assertTrue(publish.body().contains("Webhook not found"), publish.body());
        }
    }

    @Test
    void aCapturedRequestReachesEveryClientOfItsWebhookRoomAndNoOther() throws Exception {
        put("/api/v1/rooms/webhook:abc-123");
        put("/api/v1/rooms/webhook:xyz-789");
        List<JsonWebSocket> inRoom = List.of(JsonWebSocket.connect(hub.ws()), JsonWebSocket.connect(hub.ws()), JsonWebSocket.connect(hub.ws()));
        try (JsonWebSocket other = JsonWebSocket.connect(hub.ws())) {
            for (JsonWebSocket client : inRoom) {
                client.join("webhook:abc-123");
                client.nextOfType("joined", WAIT);
            }
            other.join("webhook:xyz-789");
            other.nextOfType("joined", WAIT);

            var captured = hub.send(HttpRequest.newBuilder(hub.http("/hooks/abc-123?order=42&source=shop"))
                    .header("Content-Type", "application/json").header("User-Agent", "shop-bot/1.0").header("X-Signature", "s1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"paid\":true}")).build());
            assertEquals(200, captured.statusCode(), captured.body());
            String id = JsonWebSocket.json().readTree(captured.body()).path("id").asText();

            for (JsonWebSocket client : inRoom) {
                JsonNode event = client.nextEvents(1, WAIT).getFirst();
                assertEquals("new-request", event.path("type").asText());
                JsonNode data = event.path("data");
                assertEquals(id, data.path("id").asText());
                assertEquals("abc-123", data.path("webhookId").asText());
                assertEquals("POST", data.path("method").asText());
                assertEquals("s1", header(data.path("headers"), "X-Signature"));
                assertEquals("42", data.path("queryParams").path("order").asText());
                assertEquals("{\"paid\":true}", data.path("body").asText());
                assertTrue(data.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), data.toString());
                assertEquals("127.0.0.1", data.path("sourceIp").asText());
                assertEquals("shop-bot/1.0", data.path("userAgent").asText());
            }
            other.send("{\"type\":\"ping\",\"data\":1}");
            JsonNode next = other.next(WAIT);
            assertEquals("pong", next.path("type").asText(), "the other room got nothing: " + next);

            var get = hub.get("/hooks/abc-123");
            assertEquals(200, get.statusCode());
            assertTrue(inRoom.getFirst().nextEvents(1, WAIT).getFirst().path("data").path("body").isNull(), "no body is null");
        } finally {
            inRoom.forEach(JsonWebSocket::close);
        }
    }

    @Test
    void undeclaredWebhooksGet404AndOversizedBodies413() throws Exception {
        var missing = hub.post("/hooks/never-declared", "{}", Map.of());
        assertEquals(404, missing.statusCode());
        assertEquals("Webhook not found", JsonWebSocket.json().readTree(missing.body()).path("message").asText());
        put("/api/v1/rooms/webhook:big");
        var large = hub.post("/hooks/big", "x".repeat(2000), Map.of());
        assertEquals(413, large.statusCode());
        assertEquals("MESSAGE_TOO_LARGE", JsonWebSocket.json().readTree(large.body()).path("code").asText());
    }

    @Test
    void syncSendsTheStateDocumentThenEverythingAfterItThenLive() throws Exception {
        hub.publish("{\"room\":\"dash:1\",\"type\":\"tick\",\"data\":0}");
        var stored = hub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/dash:1/state"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"total\":5}")).build());
        assertEquals(200, stored.statusCode(), stored.body());
        String stateId = JsonWebSocket.json().readTree(stored.body()).path("lastId").asText();
        hub.publish("[{\"room\":\"dash:1\",\"type\":\"tick\",\"data\":1},{\"room\":\"dash:1\",\"type\":\"tick\",\"data\":2}]");
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.send("{\"type\":\"sync\",\"data\":{\"room\":\"dash:1\"}}");
            JsonNode state = client.nextOfType("state", WAIT).path("data");
            assertEquals(5, state.path("state").path("total").asInt());
            assertEquals(stateId, state.path("lastId").asText());
            List<JsonNode> after = client.nextEvents(2, WAIT);
            assertEquals(1, after.get(0).path("data").asInt());
            assertEquals(2, after.get(1).path("data").asInt());
            hub.publish("{\"room\":\"dash:1\",\"type\":\"tick\",\"data\":3}");
            assertEquals(3, client.nextEvents(1, WAIT).getFirst().path("data").asInt());

            client.send("{\"type\":\"sync\",\"data\":{\"room\":\"dash:empty\"}}");
            assertTrue(client.nextOfType("state", WAIT).path("data").path("state").isNull(), "no document yet");
        }
    }

    @Test
    void aResumeThatCannotBeReplayedGetsTheStateDocumentToo() throws Exception {
        String first = JsonWebSocket.json().readTree(hub.publish("{\"room\":\"dash:2\",\"type\":\"tick\",\"data\":1}").body())
                .path("ids").path("dash:2").asText();
        hub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/dash:2/state")).PUT(HttpRequest.BodyPublishers.ofString("{\"total\":9}")).build());
        for (int i = 2; i <= 6; i++) {
            hub.publish("{\"room\":\"dash:2\",\"type\":\"tick\",\"data\":" + i + "}");
        }
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("dash:2", first);
            JsonNode joined = client.nextOfType("joined", WAIT).path("data");
            assertEquals("history_trimmed", joined.path("reason").asText());
            JsonNode state = client.next(WAIT);
            assertEquals("state", state.path("type").asText(), state.toString());
            assertEquals(9, state.path("data").path("state").path("total").asInt());
        }
    }

    private static String header(JsonNode headers, String name) {
        for (Iterator<String> it = headers.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (field.equalsIgnoreCase(name)) {
                return headers.path(field).asText();
            }
        }
        return null;
    }

    private static java.net.http.HttpResponse<String> put(String path) {
        return hub.send(HttpRequest.newBuilder(hub.http(path)).PUT(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static java.net.http.HttpResponse<String> delete(String path) {
        return hub.send(HttpRequest.newBuilder(hub.http(path)).DELETE().build());
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The domain-event bridge and redaction end to end: domain events posted to
 * {@code /api/v1/domain-events} reach WebSocket clients as seed 001's {@code dashboard.update}, and
 * redacted fields (seed 000) are neither sent nor stored.
 */
class DomainEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String KEY = "bridge-test-key-0123456789";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithYaml("""
                hub:
                  publish:
                    api-keys: [ "%s" ]
                  bridge:
                    rules:
                      - event-types: [session.created, session.renamed]
                        aggregate-type: Session
                        room: "session:{aggregateId}"
                        type: dashboard.update
                        meta:
                          updateType: session.metadata
                          correlationId: "{metadata.correlationId}"
                      - event-types: [cycle.created, cycle.branched]
                        aggregate-type: Cycle
                        room: "session:{payload.session_id}"
                        type: dashboard.update
                        meta:
                          updateType: cycle.created
                          correlationId: "{metadata.correlationId}"
                      - event-types: [message.sent]
                        room: "session:{payload.session_id}"
                        type: dashboard.update
                        meta:
                          updateType: conversation.message
                          correlationId: "{metadata.correlationId}"
                        drop: [ internalNotes ]
                  redaction:
                    - types: [query_complete]
                      drop: [query, sql]
                    - types: [error]
                      drop: [stackTrace]
                    - types: [dashboard.update]
                      truncate: { contentPreview: 100 }
                    - types: [new-request]
                      drop: [queryParams]
                      truncate: { body: 4 }
                """.formatted(KEY), Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** Seed 001: a message.sent domain event arrives in session:X as dashboard.update, preview cut to 100 characters. */
    @Test
    void aDomainEventArrivesInItsSessionRoomAsADashboardUpdate() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("session:s-1");
            client.nextOfType("joined", WAIT);
            String preview = "ü".repeat(140);
            HttpResponse<String> response = postDomainEvents("""
                    {"eventType":"message.sent","aggregateType":"Cycle","aggregateId":"c-1","occurredAt":"2026-01-01T00:00:00Z",
                     "payload":{"session_id":"s-1","cycleId":"c-1","componentType":"issue_raising","internalNotes":"secret",
                                "message":{"id":"m-1","role":"assistant","contentPreview":"%s"}},
                     "metadata":{"correlationId":"corr-1"},"eventId":"ignored-extra-field"}
                    """.formatted(preview));
            assertEquals(202, response.statusCode(), response.body());
            JsonNode answer = json(response.body());
            assertEquals(1, answer.path("published").asInt(), response.body());
            assertEquals(0, answer.path("ignored").asInt(), response.body());

            JsonNode update = client.nextEvents(1, WAIT).getFirst();
            assertEquals("dashboard.update", update.path("type").asText());
            assertEquals("session:s-1", update.path("room").asText());
            assertEquals("conversation.message", update.path("updateType").asText(), update.toString());
            assertEquals("corr-1", update.path("correlationId").asText(), update.toString());
            assertEquals(answer.path("ids").path("session:s-1").asText(), update.path("id").asText());
            JsonNode data = update.path("data");
            assertEquals("c-1", data.path("cycleId").asText());
            assertFalse(data.has("internalNotes"), data.toString());
            assertEquals("ü".repeat(100), data.path("message").path("contentPreview").asText());
        }
    }

    /** Session events go by aggregateId, Cycle events by payload.session_id; the rest is ignored and counted. */
    @Test
    void cycleEventsAreRoutedByThePayloadAndUnmatchedOrUnroutableOnesAreCountedAndIgnored() throws Exception {
        JsonNode before = stats().path("events").path("bridge");
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("session:s-2");
            client.nextOfType("joined", WAIT);
            HttpResponse<String> response = postDomainEvents("""
                    [{"eventType":"session.created","aggregateType":"Session","aggregateId":"s-2","payload":{"title":"Plan"},
                      "metadata":{"correlationId":"corr-2"}},
                     {"eventType":"cycle.created","aggregateType":"Cycle","aggregateId":"c-9","payload":{"session_id":"s-2","cycleId":"c-9"}},
                     {"eventType":"user.signed_in","aggregateType":"User","aggregateId":"u-1","payload":{}},
                     {"eventType":"cycle.branched","aggregateType":"Cycle","aggregateId":"c-10","payload":{"cycleId":"c-10"}}]
                    """);
            assertEquals(202, response.statusCode(), response.body());
            JsonNode answer = json(response.body());
            assertEquals(2, answer.path("published").asInt(), response.body());
            assertEquals(2, answer.path("ignored").asInt(), response.body());
            assertEquals(List.of("session:s-2"), fieldNames(answer.path("ids")), response.body());

            List<JsonNode> updates = client.nextEvents(2, WAIT);
            assertEquals("session.metadata", updates.get(0).path("updateType").asText());
            assertEquals("corr-2", updates.get(0).path("correlationId").asText());
            assertEquals("Plan", updates.get(0).path("data").path("title").asText());
            assertEquals("cycle.created", updates.get(1).path("updateType").asText());
            assertFalse(updates.get(1).has("correlationId"), "a missing correlationId is left out: " + updates.get(1));
            assertEquals("c-9", updates.get(1).path("data").path("cycleId").asText());
            assertEquals(answer.path("ids").path("session:s-2").asText(), updates.get(1).path("id").asText(), "ids name the newest event");
        }
        JsonNode after = stats().path("events").path("bridge");
        assertEquals(2, after.path("published").asLong() - before.path("published").asLong(), after.toString());
        assertEquals(1, after.path("unmatched").asLong() - before.path("unmatched").asLong(), after.toString());
        assertEquals(1, after.path("unroutable").asLong() - before.path("unroutable").asLong(), after.toString());
        String metrics = hub.get("/metrics").body();
        assertTrue(metrics.contains("switchboard_bridge_events_total{outcome=\"unmatched\"} " + after.path("unmatched").asLong()), metrics);
        assertTrue(metrics.contains("switchboard_bridge_events_total{outcome=\"unroutable\"} "), metrics);
    }

    @Test
    void onlyUnmatchedEventsAreAnsweredWithNothingPublished() throws Exception {
        HttpResponse<String> response = postDomainEvents("{\"eventType\":\"audit.logged\",\"payload\":{}}");
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(json("{\"published\":0,\"ids\":{},\"ignored\":1}"), json(response.body()));
    }

    @Test
    void malformedEnvelopesGet400WithEveryProblemAndNothingIsPublished() throws Exception {
        long published = stats().path("events").path("published").asLong();
        HttpResponse<String> response = postDomainEvents("""
                [{"eventType":"session.created","aggregateType":"Session","aggregateId":"s-3"},
                 {"aggregateType":"Session","aggregateId":"s-3"},
                 {"eventType":"session.created","payload":[1,2],"metadata":"corr"},
                 {"eventType":7,"aggregateId":{"id":1}},
                 "session.created"]
                """);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals("MESSAGE_INVALID", body.path("code").asText());
        List<String> fields = new ArrayList<>();
        body.path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertEquals(List.of("[3].eventType", "[3].aggregateId", "[4]", "[1].eventType", "[2].payload", "[2].metadata", "[3].eventType"),
                fields, response.body());
        assertEquals(published, stats().path("events").path("published").asLong(), "the valid first envelope was not published either");

        assertEquals(400, postDomainEvents("\"session.created\"").statusCode());
        assertEquals(400, postDomainEvents("{\"eventType\":").statusCode());
        assertEquals(400, postDomainEvents("[]").statusCode());
        assertEquals(400, postDomainEvents("").statusCode());
    }

    @Test
    void publishersOnly() {
        assertEquals(401, hub.post("/api/v1/domain-events", "{\"eventType\":\"x\"}", Map.of()).statusCode());
        assertEquals(401, hub.post("/api/v1/domain-events", "{\"eventType\":\"x\"}",
                Map.of("Authorization", "Bearer wrong-key-0123456789")).statusCode());
    }

    /** Seed 000: query_complete without the query, error without the stack trace — live, and in the stored history a resume replays. */
    @Test
    void redactedFieldsAreNeitherSentNorStored() throws Exception {
        long redacted = stats().path("events").path("redacted").asLong();
        String firstId;
        try (JsonWebSocket live = JsonWebSocket.connect(hub.ws())) {
            live.join("dashboard");
            live.nextOfType("joined", WAIT);
            HttpResponse<String> response = hub.post("/api/v1/events", """
                    [{"room":"dashboard","type":"query_complete","data":{"rows":3,"query":"SELECT * FROM secrets",
                       "plan":[{"step":"scan","sql":"SELECT 1"}],"result":{"sql":"x","ms":12}}},
                     {"room":"dashboard","type":"error","data":{"message":"failed","detail":{"stackTrace":"at db.Query.run"}}},
                     {"room":"dashboard","type":"ingestion_complete","data":{"query":"kept: not a redacted type"}}]
                    """, AUTH);
            assertEquals(202, response.statusCode(), response.body());
            assertRedacted(live.nextEvents(3, WAIT));
            firstId = json(response.body()).path("ids").get(0).path("dashboard").asText();
        }
        try (JsonWebSocket later = JsonWebSocket.connect(hub.ws())) {
            later.join("dashboard", String.valueOf(Long.parseLong(firstId) - 1));
            JsonNode joined = later.nextOfType("joined", WAIT).path("data");
            assertTrue(joined.path("recovered").asBoolean(), "replayed from the stored history: " + joined);
            assertRedacted(later.nextEvents(3, WAIT));
        }
        assertEquals(2, stats().path("events").path("redacted").asLong() - redacted);
        assertTrue(hub.get("/metrics").body().contains("switchboard_events_redacted_total "));
    }

    /** Webhook capture publishes through the same redaction. */
    @Test
    void capturedWebhookRequestsAreRedactedToo() throws Exception {
        HttpResponse<String> declared = TestHub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/rooms/webhook:w-1"))
                .header("Authorization", "Bearer " + KEY).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, declared.statusCode(), declared.body());
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("webhook:w-1");
            client.nextOfType("joined", WAIT);
            assertEquals(200, hub.post("/hooks/w-1?token=secret", "{\"paid\":true}", Map.of()).statusCode());
            JsonNode data = client.nextEvents(1, WAIT).getFirst().path("data");
            assertFalse(data.has("queryParams"), data.toString());
            assertEquals("{\"pa", data.path("body").asText());
            assertEquals("w-1", data.path("webhookId").asText());
        }
    }

    private static void assertRedacted(List<JsonNode> events) {
        assertEquals(json("{\"rows\":3,\"plan\":[{\"step\":\"scan\"}],\"result\":{\"ms\":12}}"), events.get(0).path("data"));
        assertEquals(json("{\"message\":\"failed\",\"detail\":{}}"), events.get(1).path("data"));
        assertEquals("kept: not a redacted type", events.get(2).path("data").path("query").asText());
    }

    private static HttpResponse<String> postDomainEvents(String body) {
        return hub.post("/api/v1/domain-events", body, AUTH);
    }

    private static JsonNode stats() {
        return json(hub.get("/api/v1/stats").body());
    }

    private static JsonNode json(String text) {
        try {
            return JsonWebSocket.json().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/v1/events} as a publisher sees it: answers, atomic batches, validation, idempotency, API keys. */
class PublishApiTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String API_KEY = "k-0123456789abcdef";
    private static TestHub hub;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(Map.of("hub.publish.max-payload-bytes", "100"));
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    @Test
    void singleEventIsAcceptedWithItsIdInItsRoom() throws Exception {
        try (JsonWebSocket client = subscriber("pub:single")) {
            HttpResponse<String> response = hub.publish("{\"room\":\"pub:single\",\"type\":\"greeting\",\"data\":{\"n\":1}}");
            assertEquals(202, response.statusCode(), response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            JsonNode ids = json(response).path("ids");
            assertEquals(List.of("pub:single"), fieldNames(ids), response.body());

            JsonNode event = client.nextEvents(1, WAIT).getFirst();
            assertEquals(ids.path("pub:single").asText(), event.path("id").asText());
            assertEquals("greeting", event.path("type").asText());
            assertEquals(1, event.path("data").path("n").asInt());
        }
    }

    @Test
    void eventForSeveralRoomsGetsAnIdInEachAndReachesEachRoom() throws Exception {
        try (JsonWebSocket inA = subscriber("pub:multi-a"); JsonWebSocket inB = subscriber("pub:multi-b")) {
            HttpResponse<String> response = hub.publish(
                    "{\"rooms\":[\"pub:multi-a\",\"pub:multi-b\"],\"type\":\"fanout\",\"data\":\"x\"}");
            assertEquals(202, response.statusCode(), response.body());
            JsonNode ids = json(response).path("ids");
            assertEquals(List.of("pub:multi-a", "pub:multi-b"), fieldNames(ids), response.body());

            JsonNode a = inA.nextEvents(1, WAIT).getFirst();
            JsonNode b = inB.nextEvents(1, WAIT).getFirst();
            assertEquals("pub:multi-a", a.path("room").asText());
            assertEquals(ids.path("pub:multi-a").asText(), a.path("id").asText());
            assertEquals("pub:multi-b", b.path("room").asText());
            assertEquals(ids.path("pub:multi-b").asText(), b.path("id").asText());
            assertEquals("fanout", b.path("type").asText());
        }
    }

    @Test
    void batchIsAcceptedWithIdsInSubmissionOrder() throws Exception {
        try (JsonWebSocket client = subscriber("pub:batch")) {
            HttpResponse<String> response = hub.publish("""
                    [{"room":"pub:batch","type":"first","data":1},
                     {"rooms":["pub:batch","pub:batch-other"],"type":"second","data":2},
                     {"room":"pub:batch","type":"third","data":3}]""");
            assertEquals(202, response.statusCode(), response.body());
            JsonNode ids = json(response).path("ids");
            assertTrue(ids.isArray(), response.body());
            assertEquals(3, ids.size(), response.body());
            assertEquals(List.of("pub:batch"), fieldNames(ids.get(0)));
            assertEquals(List.of("pub:batch", "pub:batch-other"), fieldNames(ids.get(1)));
            assertEquals(List.of("pub:batch"), fieldNames(ids.get(2)));

            List<JsonNode> events = client.nextEvents(3, WAIT);
            assertEquals(List.of("first", "second", "third"), events.stream().map(e -> e.path("type").asText()).toList());
            for (int i = 0; i < 3; i++) {
                assertEquals(ids.get(i).path("pub:batch").asText(), events.get(i).path("id").asText());
            }
        }
    }

    /** SPEC 2: a batch is all or none; one bad element refuses the whole batch and nothing is counted as published. */
    @Test
    void batchWithOneInvalidEventPublishesNothing() throws Exception {
        try (JsonWebSocket client = subscriber("pub:atomic")) {
            JsonNode before = stats();
            HttpResponse<String> response = hub.publish("""
                    [{"room":"pub:atomic","type":"ok","data":1},
                     {"room":"pub:atomic","type":"not a type!","data":2},
                     {"room":"pub:atomic","type":"ok","data":3}]""");
            assertEquals(400, response.statusCode(), response.body());
            JsonNode body = json(response);
            assertEquals("MESSAGE_INVALID", body.path("code").asText(), response.body());
            assertEquals(List.of("[1].type"), problemFields(body), response.body());
            assertFalse(body.path("problems").get(0).path("message").asText().isBlank(), response.body());

            JsonNode after = stats();
            assertEquals(before.path("events").path("published").asLong(), after.path("events").path("published").asLong());
            assertEquals(before.path("events").path("invalid").asLong() + 1, after.path("events").path("invalid").asLong());
            assertNothingBefore(client, "pub:atomic");
        }
    }

    @Test
    void everyProblemOfAnEventIsListedAtOnce() {
        HttpResponse<String> response = hub.publish("""
                {"room":"no spaces allowed","rooms":["pub:fine"],"type":"bad type!","colour":"red",
                 "data":"%s","meta":{"correlationId":"c-1","attempt":2}}""".formatted("x".repeat(120)));
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("MESSAGE_INVALID", body.path("code").asText());
        List<String> fields = problemFields(body);
        for (String field : List.of("room", "type", "colour", "data", "meta.attempt")) {
            assertTrue(fields.contains(field), field + " missing from " + response.body());
        }
        List<String> roomMessages = problemMessages(body, "room");
        assertTrue(roomMessages.stream().anyMatch(m -> m.contains("exactly one")), "room and rooms both given: " + roomMessages);
        assertTrue(roomMessages.stream().anyMatch(m -> m.contains("must match")), "bad room name: " + roomMessages);
        assertTrue(problemMessages(body, "data").getFirst().contains("100"), "names the limit: " + response.body());
        assertEquals(6, fields.size(), "exactly these problems: " + response.body());
    }

    @Test
    void bodyThatIsNotJsonIsRefusedWithAMessage() {
        for (String notJson : List.of("hello", "{\"room\":\"pub:x\",", "{\"room\":\"pub:x\",\"type\":\"t\"} trailing")) {
            HttpResponse<String> response = hub.publish(notJson);
            assertEquals(400, response.statusCode(), notJson + " -> " + response.body());
            JsonNode body = json(response);
            assertEquals("MESSAGE_INVALID", body.path("code").asText(), response.body());
            assertTrue(body.path("message").asText().contains("JSON"), response.body());
        }
    }

    @Test
    void bodyThatIsNotAnEventOrBatchIsRefused() {
        for (String notAnEvent : List.of("42", "\"text\"", "", "null")) {
            HttpResponse<String> response = hub.publish(notAnEvent);
            assertEquals(400, response.statusCode(), notAnEvent + " -> " + response.body());
            assertEquals("MESSAGE_INVALID", json(response).path("code").asText(), response.body());
        }

        HttpResponse<String> empty = hub.publish("[]");
        assertEquals(400, empty.statusCode(), empty.body());
        assertTrue(json(empty).path("message").asText().contains("empty"), empty.body());
    }

    @Test
    void otherContentTypesAreRefusedWith415() {
        HttpResponse<String> response = postWithContentType("text/plain", "{\"room\":\"pub:x\",\"type\":\"t\"}");
        assertEquals(415, response.statusCode(), response.body());
        assertEquals("MESSAGE_INVALID", json(response).path("code").asText(), response.body());

        HttpResponse<String> withCharset = postWithContentType("application/json; charset=utf-8", "{\"room\":\"pub:x\",\"type\":\"t\"}");
        assertEquals(202, withCharset.statusCode(), "a charset parameter is fine: " + withCharset.body());
    }

    @Test
    void reservedRoomsCannotBePublishedTo() {
        HttpResponse<String> response = hub.publish("{\"room\":\"$stats\",\"type\":\"stats_update\",\"data\":{}}");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(List.of("room"), problemFields(json(response)), response.body());
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstAnswerAndPublishesOnce() throws Exception {
        try (JsonWebSocket client = subscriber("pub:idem")) {
            String event = "{\"room\":\"pub:idem\",\"type\":\"order\",\"data\":1,\"idempotencyKey\":\"order-17\"}";
            HttpResponse<String> first = hub.publish(event);
            HttpResponse<String> second = hub.publish(event);
            assertEquals(202, first.statusCode(), first.body());
            assertEquals(202, second.statusCode(), second.body());
            assertEquals(json(first), json(second));

            assertEquals(json(first).path("ids").path("pub:idem").asText(), client.nextEvents(1, WAIT).getFirst().path("id").asText());
            assertNothingBefore(client, "pub:idem");
        }
    }

    @Test
    void batchIdempotencyKeyComesFromTheHeader() throws Exception {
        try (JsonWebSocket client = subscriber("pub:idem-batch")) {
            String batch = "[{\"room\":\"pub:idem-batch\",\"type\":\"a\"},{\"room\":\"pub:idem-batch\",\"type\":\"b\"}]";
            Map<String, String> key = Map.of("Idempotency-Key", "batch-42");
            HttpResponse<String> first = hub.post("/api/v1/events", batch, key);
            HttpResponse<String> second = hub.post("/api/v1/events", batch, key);
            assertEquals(202, first.statusCode(), first.body());
            assertEquals(json(first), json(second));

            assertEquals(List.of("a", "b"), client.nextEvents(2, WAIT).stream().map(e -> e.path("type").asText()).toList());
            assertNothingBefore(client, "pub:idem-batch");
        }
    }

    @Test
    void withoutConfiguredKeysALoopbackPublisherNeedsNoCredential() {
        HttpResponse<String> response = hub.publish("{\"room\":\"pub:open\",\"type\":\"t\"}");
        assertEquals(202, response.statusCode(), response.body());
    }

    @Test
    void configuredApiKeyIsRequiredAndNeverEchoed() {
        try (TestHub secured = TestHub.start(Map.of("hub.publish.api-keys", API_KEY))) {
            String event = "{\"room\":\"pub:secured\",\"type\":\"t\"}";
            String wrongKey = "k-fedcba9876543210";
            for (Map<String, String> headers : List.of(Map.<String, String>of(),
                    Map.of("Authorization", "Bearer " + wrongKey),
                    Map.of("Authorization", "Basic " + API_KEY))) {
                HttpResponse<String> refused = secured.post("/api/v1/events", event, headers);
                assertEquals(401, refused.statusCode(), headers + " -> " + refused.body());
                assertEquals("AUTH_INVALID", json(refused).path("code").asText(), refused.body());
                assertFalse(refused.body().contains(API_KEY), "echoes the key: " + refused.body());
                assertFalse(refused.body().contains(wrongKey), "echoes the presented key: " + refused.body());
            }
            HttpResponse<String> accepted = secured.post("/api/v1/events", event, Map.of("Authorization", "Bearer " + API_KEY));
            assertEquals(202, accepted.statusCode(), accepted.body());
        }
    }

    // ---- helpers ----

    /** A connected client that has joined {@code room}. */
    private static JsonWebSocket subscriber(String room) throws IOException {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws());
        client.nextOfType("connected", WAIT);
        client.join(room);
        assertEquals(room, client.nextOfType("joined", WAIT).path("data").path("room").asText());
        return client;
    }

    /** Publishes a marker into {@code room} and asserts it is the client's next event: nothing else arrived before it. */
    private static void assertNothingBefore(JsonWebSocket client, String room) {
        HttpResponse<String> marker = hub.publish("{\"room\":\"" + room + "\",\"type\":\"marker\"}");
        assertEquals(202, marker.statusCode(), marker.body());
        assertEquals("marker", client.nextEvents(1, WAIT).getFirst().path("type").asText(), "an unexpected event arrived first");
    }

    private static JsonNode stats() {
        HttpResponse<String> response = hub.get("/api/v1/stats");
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private static HttpResponse<String> postWithContentType(String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(hub.http("/api/v1/events"))
                .timeout(WAIT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JsonWebSocket.json().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> problemFields(JsonNode body) {
        List<String> fields = new ArrayList<>();
        body.path("problems").forEach(p -> fields.add(p.path("field").asText()));
        return fields;
    }

    private static List<String> problemMessages(JsonNode body, String field) {
        List<String> messages = new ArrayList<>();
        body.path("problems").forEach(p -> {
            if (field.equals(p.path("field").asText())) {
                messages.add(p.path("message").asText());
            }
        });
        return messages;
    }
}

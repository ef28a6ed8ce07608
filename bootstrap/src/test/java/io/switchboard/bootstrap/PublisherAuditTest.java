package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code event.published} audit entries name who published (in {@code userId}): an API key by its
 * place in the configuration, never the key; a token by its subject; a loopback caller without
 * credentials as {@code loopback}; a webhook capture as {@code webhook}.
 */
class PublisherAuditTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String FIRST_KEY = "first-publisher-key-0123456789";
    private static final String SECOND_KEY = "second-publisher-key-9876543210";

    @Test
    void keysAreNamedByTheirPlaceAndTokensByTheirSubject() throws Exception {
        try (TestHub hub = TestHub.startWithYaml("""
                hub:
                  auth:
                    jwks: '%s'
                  publish:
                    api-keys: [ "%s", "%s" ]
                  bridge:
                    rules:
                      - event-types: [order.placed]
                        room: "orders:{aggregateId}"
                        type: order.update
                """.formatted(AuthTest.JWKS, FIRST_KEY, SECOND_KEY), Map.of())) {
            String admin = AuthTest.token("root", "admin", Duration.ofMinutes(5));
            assertEquals(202, post(hub, "/api/v1/events", "{\"room\":\"orders:1\",\"type\":\"order.note\",\"data\":{}}", SECOND_KEY)
                    .statusCode());
            assertEquals(202, post(hub, "/api/v1/events", "{\"room\":\"orders:2\",\"type\":\"order.note\",\"data\":{}}",
                    AuthTest.token("ingest-svc", "publisher", Duration.ofMinutes(5))).statusCode());
            assertEquals(202, post(hub, "/api/v1/domain-events",
                    "{\"eventType\":\"order.placed\",\"aggregateType\":\"Order\",\"aggregateId\":\"3\",\"payload\":{}}", FIRST_KEY)
                    .statusCode());
            assertEquals(401, post(hub, "/api/v1/events", "{\"room\":\"orders:4\",\"type\":\"order.note\",\"data\":{}}",
                    "not-a-configured-key-at-all").statusCode(), "a refused publisher publishes nothing and is not audited as one");

            JsonNode byKey = published(hub, admin, "orders:1");
            assertEquals("api-key:2", byKey.path("userId").asText(), byKey.toString());
            assertEquals("/api/v1/events", byKey.path("endpoint").asText());
            assertTrue(byKey.path("detail").asText().contains("order.note"), byKey.toString());
            assertEquals("ingest-svc", published(hub, admin, "orders:2").path("userId").asText());
            JsonNode bridged = published(hub, admin, "orders:3");
            assertEquals("api-key:1", bridged.path("userId").asText(), bridged.toString());
            assertEquals("/api/v1/domain-events", bridged.path("endpoint").asText());
            assertTrue(bridged.path("detail").asText().contains("order.placed"), bridged.toString());

            String all = get(hub, "/api/v1/audit?types=event.published", admin).body();
            assertFalse(all.contains(FIRST_KEY) || all.contains(SECOND_KEY) || all.contains(FIRST_KEY.substring(0, 8)),
                    "no key, nor part of one, in the audit: " + all);
            assertFalse(all.contains("orders:4"), all);
            JsonNode byUser = JsonWebSocket.json().readTree(get(hub, "/api/v1/audit?types=event.published&user=api-key:2", admin).body());
            assertEquals(1, byUser.path("entries").size(), "the publisher is the entry's user: " + byUser);
        }
    }

    @Test
    void loopbackPublishersAndWebhookCapturesAreNamedSo() throws Exception {
        try (TestHub hub = TestHub.startWithYaml("""
                hub:
                  namespaces:
                    webhook:
                      must-exist: true
                """, Map.of())) {
            assertEquals(202, hub.publish("{\"room\":\"lobby:1\",\"type\":\"hello\",\"data\":{}}").statusCode());
            assertEquals(201, hub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/webhook:abc"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
            assertEquals(200, hub.post("/hooks/abc", "{\"x\":1}", Map.of("Content-Type", "application/json")).statusCode());
            assertEquals(404, hub.post("/hooks/undeclared", "{}", Map.of("Content-Type", "application/json")).statusCode());

            assertEquals("loopback", published(hub, null, "lobby:1").path("userId").asText());
            JsonNode hook = published(hub, null, "webhook:abc");
            assertEquals("webhook", hook.path("userId").asText(), hook.toString());
            assertEquals("/hooks/{webhookId}", hook.path("endpoint").asText());
            assertTrue(hook.path("detail").asText().contains("new-request"), hook.toString());
            assertFalse(hook.toString().contains("\"x\""), "never the captured body: " + hook);
            assertFalse(get(hub, "/api/v1/audit?types=event.published", null).body().contains("webhook:undeclared"));
        }
    }

    /** The {@code event.published} entry for {@code room}, once the audit writer has stored it. */
    private static JsonNode published(TestHub hub, String adminToken, String room) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> response = get(hub, "/api/v1/audit?types=event.published&room=" + room, adminToken);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode entries = JsonWebSocket.json().readTree(response.body()).path("entries");
            if (!entries.isEmpty()) {
                assertEquals(1, entries.size(), response.body());
                return entries.get(0);
            }
            assertTrue(System.nanoTime() < deadline, "no event.published entry for " + room);
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> post(TestHub hub, String path, String body, String bearer) {
        return hub.post(path, body, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + bearer));
    }

    private static HttpResponse<String> get(TestHub hub, String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.http(path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return TestHub.send(request.GET().build());
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator sees: the stats object (GET and pushed), health checks, Prometheus metrics, shutdown. */
class OperationsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Pattern WIRE_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    @Test
    void statsHaveTheDocumentedShapeAndCountAClientsActivity() throws Exception {
        try (TestHub hub = TestHub.start()) {
            JsonNode idle = stats(hub);
            assertStatsShape(idle);
            assertEquals(0, idle.path("connections").path("total").asLong(), idle.toString());
            assertEquals(0, idle.path("rooms").path("active").asLong(), idle.toString());
            assertEquals(0, idle.path("events").path("published").asLong(), idle.toString());

            try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
                client.nextOfType("connected", WAIT);
                client.join("ops:1");
                client.nextOfType("joined", WAIT);
                assertEquals(202, hub.publish("{\"room\":\"ops:1\",\"type\":\"tick\",\"data\":1}").statusCode());
                client.nextEvents(1, WAIT);

                JsonNode busy = awaitStats(hub, s -> s.path("events").path("delivered").asLong() == 1, "delivered 1");
                assertStatsShape(busy);
                JsonNode connections = busy.path("connections");
                assertEquals(1, connections.path("total").asLong(), busy.toString());
                assertEquals(1, connections.path("websocket").asLong(), busy.toString());
                assertEquals(0, connections.path("sse").asLong(), busy.toString());
                assertEquals(1, connections.path("byEndpoint").path("/ws").asLong(), busy.toString());
                assertEquals(1, busy.path("rooms").path("active").asLong(), busy.toString());
                JsonNode events = busy.path("events");
                assertEquals(1, events.path("published").asLong(), busy.toString());
                assertEquals(0, events.path("dropped").asLong(), busy.toString());
                assertEquals(0, events.path("invalid").asLong(), busy.toString());
                assertEquals(Set.of("tick"), fieldNames(events.path("byType")), busy.toString());
                assertEquals(1, events.path("byType").path("tick").asLong(), busy.toString());
                assertTrue(busy.path("latencyMs").path("p99").asDouble() >= busy.path("latencyMs").path("p50").asDouble(),
                        busy.toString());
            }
            awaitStats(hub, s -> s.path("connections").path("total").asLong() == 0
                    && s.path("rooms").path("active").asLong() == 0, "no connection and no active room after the client left");
        }
    }

    /** SPEC 10: members of {@code $stats} get {@code stats_update} every {@code hub.stats-interval}, the GET object. */
    @Test
    void statsRoomMembersReceivePeriodicStatsUpdates() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.stats-interval", "300ms"));
             JsonWebSocket watcher = JsonWebSocket.connect(hub.ws());
             JsonWebSocket bystander = JsonWebSocket.connect(hub.ws())) {
            watcher.nextOfType("connected", WAIT);
            bystander.nextOfType("connected", WAIT);
            watcher.join("$stats");
            assertEquals("$stats", watcher.nextOfType("joined", WAIT).path("data").path("room").asText());

            JsonNode first = watcher.nextOfType("stats_update", WAIT);
            JsonNode second = watcher.nextOfType("stats_update", WAIT);
            for (JsonNode update : new JsonNode[] {first, second}) {
                assertStatsShape(update.path("data"));
                assertEquals(2, update.path("data").path("connections").path("total").asLong(), update.toString());
                assertTrue(WIRE_TIME.matcher(update.path("timestamp").asText()).matches(), update.toString());
            }
            Instant t1 = Instant.parse(first.path("data").path("timestamp").asText());
            Instant t2 = Instant.parse(second.path("data").path("timestamp").asText());
            assertTrue(t2.isAfter(t1), "a fresh snapshot each time: " + t1 + " then " + t2);

            assertTrue(bystander.history().stream().noneMatch(m -> "stats_update".equals(m.path("type").asText())),
                    "only members of $stats get stats_update: " + bystander.history());
        }
    }

    @Test
    void healthChecksAnswerUp() {
        try (TestHub hub = TestHub.start()) {
            for (String path : new String[] {"/health", "/health/live", "/health/ready"}) {
                HttpResponse<String> response = hub.get(path);
                assertEquals(200, response.statusCode(), path + " -> " + response.body());
                assertEquals("UP", json(response).path("status").asText(), path + " -> " + response.body());
            }
        }
    }

    @Test
    void metricsArePrometheusTextWithLiveValues() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.nextOfType("connected", WAIT);
            assertEquals(202, hub.publish("{\"room\":\"ops:m\",\"type\":\"a\"}").statusCode());
            assertEquals(202, hub.publish("[{\"room\":\"ops:m\",\"type\":\"a\"},{\"room\":\"ops:m\",\"type\":\"b\"}]").statusCode());

            HttpResponse<String> response = hub.get("/metrics");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    response.headers().toString());
            String text = response.body();
            assertTrue(text.lines().anyMatch("switchboard_events_published_total 3"::equals), text);
            assertTrue(text.lines().anyMatch("switchboard_connections{transport=\"websocket\"} 1"::equals), text);
            assertTrue(text.lines().anyMatch("switchboard_events_published_by_type_total{type=\"a\"} 2"::equals), text);
            assertTrue(text.contains("# TYPE switchboard_events_published_total counter"), text);
            for (String line : text.lines().toList()) {
                assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*})? -?[0-9.]+"), "not an exposition line: " + line);
            }
        }
    }

    /** SPEC 8: on shutdown a client hears {@code disconnect} (reconnect, spread retry) and then close 1001. */
    @Test
    void shutdownTellsClientsToReconnectThenClosesWith1001() throws Exception {
        TestHub hub = TestHub.start();
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.nextOfType("connected", WAIT);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(hub::close);

            JsonNode disconnect = client.nextOfType("disconnect", WAIT).path("data");
            assertEquals(1001, disconnect.path("code").asInt(), disconnect.toString());
            assertEquals("server shutting down", disconnect.path("reason").asText(), disconnect.toString());
            assertTrue(disconnect.path("reconnect").asBoolean(), disconnect.toString());
            long retry = disconnect.path("retryAfterMs").asLong(-1);
            assertTrue(retry >= 0 && retry < 60_000, disconnect.toString());
            assertEquals(1001, client.closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));

            stopping.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            assertThrows(IOException.class, () -> JsonWebSocket.connect(hub.ws()).close(), "a stopped hub accepts no one");
        } finally {
            hub.close();
        }
    }

    // ---- helpers ----

    /**
     * SPEC 10's object plus the redaction, bridge and critical-ack counters, the socket counts (SPEC 15) and the
     * backend hook calls by kind (SPEC 16; empty until a hook is called, see BackendHooksTest), exactly:
     * these fields and no others, numbers where numbers belong.
     */
    private static void assertStatsShape(JsonNode stats) {
        assertEquals(Set.of("timestamp", "uptimeSeconds", "connections", "rooms", "events", "rates", "latencyMs", "sockets", "hooks"),
                fieldNames(stats), stats.toString());
        assertTrue(stats.path("hooks").isObject(), stats.toString());
        assertTrue(WIRE_TIME.matcher(stats.path("timestamp").asText()).matches(), "ISO-8601 UTC with millis: " + stats);
        assertTrue(stats.path("uptimeSeconds").isIntegralNumber(), stats.toString());
        assertFields(stats.path("connections"), Set.of("total", "websocket", "sse"), Set.of("byEndpoint"));
        assertFields(stats.path("rooms"), Set.of("active"), Set.of());
        assertFields(stats.path("events"), Set.of("published", "delivered", "dropped", "throttled", "invalid", "redacted"),
                Set.of("byType", "bridge", "critical"));
        assertEquals(Set.of("resent", "unacknowledged"), fieldNames(stats.path("events").path("critical")), stats.toString());
        assertEquals(Set.of("published", "unmatched", "unroutable", "rejected"), fieldNames(stats.path("events").path("bridge")), stats.toString());
        assertFields(stats.path("rates"), Set.of("publishedPerSec", "deliveredPerSec"), Set.of());
        assertFields(stats.path("latencyMs"), Set.of("p50", "p99"), Set.of());
        assertFields(stats.path("sockets"), Set.of("open", "refused", "handshakeTimeouts"), Set.of());
    }

    private static void assertFields(JsonNode object, Set<String> numbers, Set<String> objects) {
        Set<String> expected = new TreeSet<>(numbers);
        expected.addAll(objects);
        assertEquals(expected, fieldNames(object), object.toString());
        numbers.forEach(n -> assertTrue(object.path(n).isNumber() && object.path(n).asDouble() >= 0, n + " in " + object));
        objects.forEach(o -> assertTrue(object.path(o).isObject(), o + " in " + object));
    }

    private static JsonNode stats(TestHub hub) {
        HttpResponse<String> response = hub.get("/api/v1/stats");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return json(response);
    }

    /** Polls the stats until {@code condition} holds; counters are updated just after the client is written to. */
    private static JsonNode awaitStats(TestHub hub, Predicate<JsonNode> condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = stats(hub);
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stats never showed " + description + " within " + WAIT + "; last: " + last);
            }
            Thread.sleep(20);
            last = stats(hub);
        }
        return last;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JsonWebSocket.json().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}

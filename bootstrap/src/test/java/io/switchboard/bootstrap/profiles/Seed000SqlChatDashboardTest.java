package io.switchboard.bootstrap.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.TestHub;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.switchboard.bootstrap.profiles.SeedHub.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 000 (SQL-ingestion / chat dashboard) against {@code --profile sql-chat-dashboard}. */
class Seed000SqlChatDashboardTest {
    private static final String SEED = "000_cffa64df2acbae80.txt — ";
    private static final String ORIGIN = "http://localhost:5173";
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithProfile("sql-chat-dashboard", Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    @DisplayName(SEED + "Establishing WebSocket connection")
    void establishingWebSocketConnection() throws Exception {
        try (JsonWebSocket client = dashboard()) {
            JsonNode ack = client.next(WAIT);
            assertEquals("connection_ack", ack.path("type").asText(), ack.toString());
            assertTimestamp(ack);
            client.send("{\"type\":\"ping\",\"data\":\"both ways\"}");
            assertEquals("both ways", client.nextOfType("pong", WAIT).path("data").asText());
            assertFalse(client.closeCode().isDone(), "stays open");
        }
    }

    /** Takes about ten seconds: two updates of the profile's 5 s interval. */
    @Test
    @DisplayName(SEED + "Receiving periodic stats updates")
    void receivingPeriodicStatsUpdates() throws Exception {
        try (JsonWebSocket client = connected()) {
            JsonNode first = client.nextOfType("stats_update", Duration.ofSeconds(7));
            JsonNode second = client.nextOfType("stats_update", Duration.ofSeconds(7));
            long gap = Duration.between(Instant.parse(first.path("timestamp").asText()), Instant.parse(second.path("timestamp").asText())).toMillis();
            assertTrue(gap >= 4_500 && gap <= 5_500, "every 5 seconds: " + gap + " ms");
            JsonNode api = SeedHub.stats(hub);
            List<String> expected = new ArrayList<>();
            api.fieldNames().forEachRemaining(expected::add);
            List<String> pushed = new ArrayList<>();
            second.path("data").fieldNames().forEachRemaining(pushed::add);
            assertEquals(expected, pushed, "the same statistics as /api/v1/stats");
            assertEquals(api.path("connections").path("total").asInt(), second.path("data").path("connections").path("total").asInt());
            assertTimestamp(second);
        }
    }

    /** "Logs error with connection details" is the log line per close (docs/operations.md); not asserted here. */
    @Test
    @DisplayName(SEED + "Connection error handling")
    void connectionErrorHandling() throws Exception {
        try (RawWebSocket broken = RawWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard"), Map.of())) {
            broken.readText(WAIT);
            broken.sendText("{\"type\":\"ping\",\"data\":\"" + "x".repeat(5000) + "\"}");   // over the 4 KiB inbound cap
            RawWebSocket.Frame close = broken.awaitClose(WAIT);
            assertEquals(1009, close.closeCode(), "closed gracefully, with a close frame saying why");
        }
        SeedHub.awaitConnections(hub, 0);
        try (JsonWebSocket again = dashboard()) {
            assertEquals("connection_ack", again.next(WAIT).path("type").asText(), "can reconnect immediately");
        }
    }

    @Test
    @DisplayName(SEED + "Client disconnection")
    void clientDisconnection() throws Exception {
        JsonWebSocket client = connected();
        SeedHub.awaitConnections(hub, 1);
        client.close();
        assertEquals(1000, client.closeCode().get(5, TimeUnit.SECONDS));
        SeedHub.awaitConnections(hub, 0);
        assertEquals(0, SeedHub.stats(hub).path("connections").path("byEndpoint").path("/ws/dashboard").asInt(0), "removed from active connections");
    }

    @Test
    @DisplayName(SEED + "Message type identification")
    void messageTypeIdentification() throws Exception {
        // published the instant the socket is open, before the ack is read, as the seed's frontend may (SPEC 13)
        try (JsonWebSocket client = dashboard()) {
            broadcast("ingestion_complete", "{\"fileName\":\"a.sql\",\"status\":\"ok\",\"statistics\":{\"rows\":3}}");
            broadcast("query_complete", "{\"queryType\":\"chat\",\"latencyMs\":12}");
            broadcast("error", "{\"errorType\":\"parse\",\"severity\":\"high\"}");
            List<String> types = new ArrayList<>(List.of(client.next(WAIT).path("type").asText()));
            assertEquals("connection_ack", types.getFirst(), "the ack comes first");
            while (types.size() < 5 || !types.contains("stats_update")) {
                types.add(client.next(Duration.ofSeconds(7)).path("type").asText());
            }
            assertTrue(types.containsAll(List.of("connection_ack", "ingestion_complete", "query_complete", "error", "stats_update")), types.toString());
            List<String> allowed = List.of("connection_ack", "stats_update", "ingestion_complete", "query_complete", "error");
            assertTrue(allowed.containsAll(types), "only the five types: " + types);
        }
    }

    @Test
    @DisplayName(SEED + "Message data payload")
    void messageDataPayload() throws Exception {
        try (JsonWebSocket client = dashboard()) {
            assertTrue(client.next(WAIT).path("data").isObject(), "connection_ack has data");
            broadcast("ingestion_complete", "{\"fileName\":\"b.sql\",\"status\":\"ok\",\"statistics\":{\"rows\":1}}");
            JsonNode event = client.nextOfType("ingestion_complete", WAIT);
            assertEquals("b.sql", event.path("data").path("fileName").asText(), event.toString());
        }
    }

    @Test
    @DisplayName(SEED + "Message timestamp")
    void messageTimestamp() throws Exception {
        try (JsonWebSocket client = dashboard()) {
            Instant before = Instant.now().minusSeconds(1);
            assertTimestamp(client.next(WAIT));
            broadcast("query_complete", "{\"queryType\":\"sql\",\"latencyMs\":3}");
            JsonNode event = client.nextOfType("query_complete", WAIT);
            Instant at = assertTimestamp(event);
            assertTrue(!at.isBefore(before) && !at.isAfter(Instant.now().plusSeconds(1)), "UTC time of creation: " + at);
        }
    }

    @Test
    @DisplayName(SEED + "Ingestion completion broadcast")
    void ingestionCompletionBroadcast() throws Exception {
        try (JsonWebSocket a = connected(); JsonWebSocket b = connected()) {
            broadcast("ingestion_complete", "{\"fileName\":\"sales.sql\",\"status\":\"success\",\"statistics\":{\"tables\":4,\"rows\":1200,\"durationMs\":850}}");
            for (JsonNode event : List.of(a.nextOfType("ingestion_complete", WAIT), b.nextOfType("ingestion_complete", WAIT))) {
                assertEquals("sales.sql", event.path("data").path("fileName").asText());
                assertEquals("success", event.path("data").path("status").asText());
                assertEquals(1200, event.path("data").path("statistics").path("rows").asInt());
            }
        }
    }

    @Test
    @DisplayName(SEED + "Query completion broadcast")
    void queryCompletionBroadcast() throws Exception {
        try (JsonWebSocket a = connected(); JsonWebSocket b = connected()) {
            broadcast("query_complete", "{\"queryType\":\"chat\",\"latencyMs\":230,\"query\":\"secret question\",\"sql\":\"SELECT * FROM salaries\"}");
            for (JsonNode event : List.of(a.nextOfType("query_complete", WAIT), b.nextOfType("query_complete", WAIT))) {
                JsonNode data = event.path("data");
                assertEquals("chat", data.path("queryType").asText());
                assertEquals(230, data.path("latencyMs").asInt());
                assertFalse(data.has("query") || data.has("sql"), "no query content: " + data);
                assertFalse(event.toString().contains("salaries"), event.toString());
            }
        }
    }

    @Test
    @DisplayName(SEED + "Error event broadcast")
    void errorEventBroadcast() throws Exception {
        try (JsonWebSocket a = connected(); JsonWebSocket b = connected()) {
            broadcast("error", "{\"errorType\":\"ingestion_failed\",\"severity\":\"critical\",\"stackTrace\":\"at Parser.parse(Parser.java:42)\"}");
            for (JsonNode event : List.of(a.nextOfType("error", WAIT), b.nextOfType("error", WAIT))) {
                assertEquals("ingestion_failed", event.path("data").path("errorType").asText());
                assertEquals("critical", event.path("data").path("severity").asText());
                assertFalse(event.toString().contains("Parser.java"), "no stack trace: " + event);
            }
        }
    }

    @Test
    @DisplayName(SEED + "Maximum connections per IP")
    void maximumConnectionsPerIp() throws Exception {
        List<RawWebSocket> ten = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                ten.add(RawWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard"), Map.of()));
                ten.getLast().readText(WAIT);
            }
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard"), Map.of()));
            assertEquals(503, refused.status());
            JsonNode body = SeedHub.json(refused.body());
            assertEquals("CONNECTION_LIMIT", body.path("code").asText());
            assertTrue(body.path("message").asText().toLowerCase().contains("limit"), body.toString());
            for (RawWebSocket existing : ten) {
                assertFalse(existing.isClosedByPeer(), "existing connections unaffected");
            }
            ten.removeFirst().close();
            SeedHub.awaitConnections(hub, 9);
            ten.add(RawWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard"), Map.of()));
        } finally {
            ten.forEach(RawWebSocket::close);
        }
    }

    /** Limit lowered to 3 for the test (the profile: 1000); "logs connection cleanup event" is the audit/log line, not asserted. */
    @Test
    @DisplayName(SEED + "Connection cleanup on limit")
    void connectionCleanupOnLimit() throws Exception {
        try (TestHub small = TestHub.startWithProfile("sql-chat-dashboard", Map.of("hub.limits.max-connections", "3"));
             JsonWebSocket idleOldest = JsonWebSocket.connect(SeedHub.ws(small, "/ws/dashboard"));
             JsonWebSocket active = JsonWebSocket.connect(SeedHub.ws(small, "/ws/dashboard"));
             JsonWebSocket idleNewer = JsonWebSocket.connect(SeedHub.ws(small, "/ws/dashboard"))) {
            for (JsonWebSocket client : List.of(idleOldest, active, idleNewer)) {
                client.nextOfType("connection_ack", WAIT);
            }
            active.send("{\"type\":\"ping\",\"data\":1}");
            active.nextOfType("pong", WAIT);
            try (JsonWebSocket fresh = JsonWebSocket.connect(SeedHub.ws(small, "/ws/dashboard"))) {
                assertEquals("connection_ack", fresh.next(WAIT).path("type").asText(), "accepts the new connection");
                JsonNode notice = idleOldest.nextOfType("disconnect", WAIT).path("data");
                assertEquals(4009, notice.path("code").asInt(), "disconnect notice to the closed one: " + notice);
                assertEquals(4009, idleOldest.closeCode().get(5, TimeUnit.SECONDS));
                assertFalse(active.closeCode().isDone() || idleNewer.closeCode().isDone(), "only the oldest idle one");
            }
        }
    }

    @Test
    @DisplayName(SEED + "Origin validation")
    void originValidation() throws Exception {
        try (RawWebSocket allowed = RawWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard"), Map.of("Origin", ORIGIN))) {
            assertEquals("connection_ack", SeedHub.json(allowed.readText(WAIT)).path("type").asText());
        }
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard"), Map.of("Origin", "https://evil.example")));
        assertEquals(403, refused.status());
        assertEquals("FORBIDDEN", SeedHub.json(refused.body()).path("code").asText());
    }

    @Test
    @DisplayName(SEED + "Message validation")
    void messageValidation() throws Exception {
        try (JsonWebSocket client = connected()) {
            long invalidBefore = SeedHub.stats(hub).path("events").path("invalid").asLong();
            var bad = hub.publish("{\"room\":\"dashboard:all\",\"type\":\"not a type!\",\"data\":{}}");
            assertEquals(400, bad.statusCode(), "validated before sending: " + bad.body());
            assertTrue(SeedHub.stats(hub).path("events").path("invalid").asLong() > invalidBefore, "error metrics tracked");
            broadcast("ingestion_complete", "{\"fileName\":\"after.sql\",\"status\":\"ok\"}");
            JsonNode next = client.nextOfType("ingestion_complete", WAIT);
            assertEquals("after.sql", next.path("data").path("fileName").asText(), "the invalid one skipped, the connection stable");
        }
    }

    @Test
    @DisplayName(SEED + "Rate limiting broadcasts")
    void rateLimitingBroadcasts() throws Exception {
        try (JsonWebSocket client = connected()) {
            long throttledBefore = SeedHub.stats(hub).path("events").path("throttled").asLong();
            StringBuilder burst = new StringBuilder("[");
            for (int i = 0; i < 20; i++) {
                burst.append(i == 0 ? "" : ",").append("{\"room\":\"dashboard:all\",\"type\":\"ingestion_progress\",\"key\":\"file:a\",\"data\":{\"n\":").append(i).append("}}");
            }
            assertEquals(202, hub.publish(burst.append(']').toString()).statusCode());
            assertEquals(202, hub.publish("{\"room\":\"dashboard:all\",\"type\":\"error\",\"critical\":true,\"data\":{\"errorType\":\"disk\",\"severity\":\"critical\"}}").statusCode());
            List<JsonNode> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    received.add(client.next(Duration.ofMillis(300)));
                } catch (AssertionError quiet) {
                    // nothing in this slice
                }
            }
            assertTrue(received.stream().anyMatch(m -> m.path("type").asText().equals("error")
                    && m.path("data").path("errorType").asText().equals("disk")), "the critical event bypasses throttling: " + received);
            List<Integer> seen = received.stream().filter(m -> m.path("type").asText().equals("ingestion_progress"))
                    .map(m -> m.path("data").path("n").asInt()).toList();
            assertTrue(seen.size() <= 3 && !seen.isEmpty(), "flooding prevented: " + seen);
            assertEquals(19, seen.getLast(), "the latest value wins");
            assertTrue(SeedHub.stats(hub).path("events").path("throttled").asLong() >= 17 + throttledBefore, "throttling counted for monitoring");
        }
    }

    /**
     * The frontend has no ack message (its types: connection_ack, stats_update, ingestion_complete, query_complete, error):
     * a critical broadcast arrives exactly once, without "ack": true, however long the client stays. Ack timeout and
     * heartbeat (when overdue acks are re-sent) lowered to 200 ms, so a re-send would come within the wait many times over.
     */
    @Test
    @DisplayName(SEED + "Rate limiting broadcasts: a critical broadcast arrives exactly once (the frontend has no ack)")
    void criticalBroadcastArrivesOnce() throws Exception {
        try (TestHub fast = TestHub.startWithProfile("sql-chat-dashboard", Map.of("hub.namespaces.dashboard.ack-timeout", "200ms",
                "hub.heartbeat.interval", "200ms"));
             JsonWebSocket client = JsonWebSocket.connect(SeedHub.ws(fast, "/ws/dashboard"), Map.of("Origin", ORIGIN))) {
            client.nextOfType("connection_ack", WAIT);
            assertEquals(202, fast.publish("{\"room\":\"dashboard:all\",\"type\":\"error\",\"critical\":true,"
                    + "\"data\":{\"errorType\":\"disk\",\"severity\":\"critical\"}}").statusCode());
            JsonNode first = client.nextOfType("error", WAIT);
            assertFalse(first.has("ack"), "no ack asked of a frontend that cannot send one: " + first);
            Thread.sleep(2_000); // ten ack timeouts and heartbeats
            assertEquals(202, fast.publish("{\"room\":\"dashboard:all\",\"type\":\"query_complete\",\"data\":{\"queryType\":\"marker\"}}").statusCode());
            client.nextOfType("query_complete", WAIT);
            long errors = client.history().stream().filter(m -> m.path("type").asText().equals("error")).count();
            assertEquals(1, errors, "exactly once: " + client.history());
        }
    }

    // ---- helpers ----

    private static JsonWebSocket dashboard() throws Exception {
        return JsonWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard"), Map.of("Origin", ORIGIN));
    }

    private static JsonWebSocket connected() throws Exception {
        JsonWebSocket client = dashboard();
        client.nextOfType("connection_ack", WAIT);
        return client;
    }

    private static void broadcast(String type, String data) {
        SeedHub.publish(hub, "{\"room\":\"dashboard:all\",\"type\":\"" + type + "\",\"data\":" + data + "}", Map.of());
    }

    private static Instant assertTimestamp(JsonNode message) {
        String text = message.path("timestamp").asText();
        assertTrue(text.endsWith("Z"), "UTC ISO-8601: " + message);
        return Instant.parse(text);
    }

}

package io.switchboard.bootstrap.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.TestHub;
import io.switchboard.bootstrap.testing.DevTokens;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.switchboard.bootstrap.profiles.SeedHub.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 001 (decision-session dashboard) against {@code --profile choicesherpa}. The seed has no
 * WHEN/THEN; one test per row of its Integration and E2E test tables, Failure Modes, Security
 * Requirements and message protocol.
 */
class Seed001ChoiceSherpaTest {
    private static final String SEED = "001_ff8edeb8b40af0c2.txt — ";
    private static final Map<String, String> PUBLISHER = Map.of("Authorization", DevTokens.publisherBearer());
    private static final String ORIGIN = "https://app.choicesherpa.com";
    /** The headers of the seed's frontend: the endpoint refuses an upgrade without Origin (authenticate_ws: MissingOrigin). */
    private static final Map<String, String> BROWSER = Map.of("Origin", ORIGIN);
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithProfile("choicesherpa", Map.of());
        share("s-1", "alice");
        share("s-1", "bob");     // shared access
        share("s-2", "carol");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    // ---- Integration tests ----

    @Test
    @DisplayName(SEED + "Integration test ConnectionFlow: connect, receive connected, disconnect")
    void connectionFlow() throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(live("s-1", "alice"), BROWSER);
        JsonNode connected = client.next(WAIT);
        assertEquals("connected", connected.path("type").asText());
        assertEquals("s-1", connected.path("sessionId").asText(), "flat: " + connected);
        assertFalse(connected.path("clientId").asText().isEmpty(), connected.toString());
        assertTrue(connected.path("timestamp").asText().endsWith("Z"), connected.toString());
        assertFalse(connected.has("data"), "connected is flat: " + connected);
        client.close();
        assertEquals(1000, client.closeCode().get(5, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName(SEED + "Integration test EventDelivery: publish event, client receives update")
    void eventDelivery() throws Exception {
        try (JsonWebSocket client = connected("s-1", "alice")) {
            domainEvent("component.completed", "Cycle", "c-9",
                    "{\"session_id\":\"s-1\",\"cycleId\":\"c-9\",\"componentType\":\"objectives\",\"progress\":{\"completed\":3,\"total\":9,\"percent\":33}}", "corr-1");
            JsonNode update = client.nextOfType("dashboard.update", WAIT);
            assertEquals("component.completed", update.path("updateType").asText(), update.toString());
            assertEquals("corr-1", update.path("correlationId").asText());
            assertEquals(33, update.path("data").path("progress").path("percent").asInt());
            assertTrue(update.path("timestamp").asText().endsWith("Z"));
        }
    }

    @Test
    @DisplayName(SEED + "Integration test RoomIsolation: events only reach correct session")
    void roomIsolation() throws Exception {
        try (JsonWebSocket one = connected("s-1", "alice"); JsonWebSocket two = connected("s-2", "carol")) {
            domainEvent("session.renamed", "Session", "s-2", "{\"title\":\"Pick a car\"}", "corr-2");
            assertEquals("Pick a car", two.nextOfType("dashboard.update", WAIT).path("data").path("title").asText());
            one.send("{\"type\":\"ping\"}");
            assertEquals("pong", one.next(WAIT).path("type").asText(), "session s-1 got nothing");
        }
    }

    @Test
    @DisplayName(SEED + "Integration test Reconnection: disconnect, reconnect, state sync")
    void reconnection() throws Exception {
        storeState("s-1", "{\"session_title\":\"Choose a job\",\"cycle_count\":2}");
        try (JsonWebSocket client = connected("s-1", "alice")) {
            client.send("{\"type\":\"request.state\"}");
            JsonNode state = client.nextOfType("state", WAIT);
            assertEquals(2, state.path("state").path("cycle_count").asInt(), "flat state: " + state);
            assertEquals("session:s-1", state.path("room").asText());
        }
    }

    // ---- E2E tests ----

    @Test
    @DisplayName(SEED + "E2E LiveDashboard: open dashboard, complete component, see update")
    void liveDashboard() throws Exception {
        try (JsonWebSocket client = connected("s-1", "alice")) {
            domainEvent("component.started", "Cycle", "c-1", "{\"session_id\":\"s-1\",\"cycleId\":\"c-1\",\"componentType\":\"alternatives\"}", "c-a");
            domainEvent("component.completed", "Cycle", "c-1", "{\"session_id\":\"s-1\",\"cycleId\":\"c-1\",\"componentType\":\"alternatives\"}", "c-b");
            assertEquals("component.started", client.nextOfType("dashboard.update", WAIT).path("updateType").asText());
            assertEquals("component.completed", client.nextOfType("dashboard.update", WAIT).path("updateType").asText());
        }
    }

    @Test
    @DisplayName(SEED + "E2E MultiClient: two clients, one updates, both see change")
    void multiClient() throws Exception {
        try (JsonWebSocket alice = connected("s-1", "alice"); JsonWebSocket bob = connected("s-1", "bob")) {
            domainEvent("dq_scores.computed", "Cycle", "c-1", "{\"session_id\":\"s-1\",\"cycleId\":\"c-1\",\"scoreType\":\"dq\",\"scores\":{\"a\":70},\"overallScore\":70}", "c-m");
            for (JsonWebSocket client : List.of(alice, bob)) {
                JsonNode update = client.nextOfType("dashboard.update", WAIT);
                assertEquals("analysis.scores", update.path("updateType").asText());
                assertEquals(70, update.path("data").path("overallScore").asInt());
            }
        }
    }

    /** The reconnect itself is the client's (tests/node/client-resume.test.mjs); the hub replays what was missed. */
    @Test
    @DisplayName(SEED + "E2E Reconnect: disconnect network, reconnect, see missed updates")
    void reconnectSeesMissedUpdates() throws Exception {
        String lastId;
        try (JsonWebSocket before = connected("s-1", "alice")) {
            domainEvent("cycle.created", "Cycle", "c-5", "{\"session_id\":\"s-1\",\"cycleId\":\"c-5\",\"sessionId\":\"s-1\"}", "r1");
            lastId = before.nextOfType("dashboard.update", WAIT).path("id").asText();
        }
        domainEvent("cycle.completed", "Cycle", "c-5", "{\"session_id\":\"s-1\",\"cycleId\":\"c-5\",\"dqScore\":80}", "r2");
        try (JsonWebSocket after = connected("s-1", "alice")) {
            after.send("{\"type\":\"join\",\"room\":\"session:s-1\",\"since\":\"" + lastId + "\"}");
            JsonNode missed = after.nextOfType("dashboard.update", WAIT);
            assertEquals("cycle.completed", missed.path("updateType").asText(), "the missed update");
        }
    }

    // ---- Failure modes ----

    /** Auto-reconnect with backoff is the client's (tests/node/client-backoff.test.mjs); the hub takes an immediate reconnect. */
    @Test
    @DisplayName(SEED + "Failure mode: WebSocket disconnect, auto-reconnect with backoff")
    void webSocketDisconnect() throws Exception {
        connected("s-1", "alice").close();
        try (JsonWebSocket again = connected("s-1", "alice")) {
            assertFalse(again.closeCode().isDone());
        }
    }

    @Test
    @DisplayName(SEED + "Failure mode: Room not found, create room on demand")
    void roomNotFoundCreatesOnDemand() throws Exception {
        share("s-new", "alice");
        try (JsonWebSocket client = connected("s-new", "alice")) {
            domainEvent("session.created", "Session", "s-new", "{\"title\":\"Fresh\"}", "n1");
            assertEquals("session.metadata", client.nextOfType("dashboard.update", WAIT).path("updateType").asText());
        }
    }

    /** transform(): {@code timestamp: event.occurred_at} — the update carries when the domain event occurred, not when the hub published it. */
    @Test
    @DisplayName(SEED + "Message protocol: dashboard.update timestamp is the domain event's occurred_at")
    void timestampIsOccurredAt() throws Exception {
        try (JsonWebSocket client = connected("s-1", "alice")) {
            String occurredAt = "2026-12-01T09:30:15.250+01:00";
            var response = hub.post("/api/v1/domain-events", "{\"eventType\":\"cycle.created\",\"aggregateType\":\"Session\","
                    + "\"aggregateId\":\"s-1\",\"payload\":{\"cycleId\":\"c-ts\"},\"occurredAt\":\"" + occurredAt + "\",\"metadata\":{}}", PUBLISHER);
            assertEquals(202, response.statusCode(), response.body());
            JsonNode update = client.nextOfType("dashboard.update", WAIT);
            assertEquals("c-ts", update.path("data").path("cycleId").asText(), update.toString());
            assertEquals("2026-12-01T08:30:15.250Z", update.path("timestamp").asText(), "occurredAt, in UTC: " + update);

            var missing = hub.post("/api/v1/domain-events", "{\"eventType\":\"cycle.created\",\"aggregateType\":\"Session\","
                    + "\"aggregateId\":\"s-1\",\"payload\":{},\"metadata\":{}}", PUBLISHER);
            assertEquals(400, missing.statusCode(), missing.body());
            assertTrue(missing.body().contains("occurredAt") && missing.body().contains("required"), missing.body());
            var unreadable = hub.post("/api/v1/domain-events", "{\"eventType\":\"cycle.created\",\"aggregateType\":\"Session\","
                    + "\"aggregateId\":\"s-1\",\"payload\":{},\"occurredAt\":\"yesterday\",\"metadata\":{}}", PUBLISHER);
            assertEquals(400, unreadable.statusCode(), unreadable.body());
            assertTrue(unreadable.body().contains("'yesterday' is not an ISO-8601 instant"), unreadable.body());

            domainEvent("session.renamed", "Session", "s-1", "{\"title\":\"After the refusals\"}", "ts");
            JsonNode next = client.nextOfType("dashboard.update", WAIT);
            assertEquals("After the refusals", next.path("data").path("title").asText(), "nothing of the refused posts was published: " + next);
        }
    }

    @Test
    @DisplayName(SEED + "Failure mode: Event parsing fails, log and continue")
    void eventParsingFails() throws Exception {
        try (JsonWebSocket client = connected("s-1", "alice")) {
            var malformed = hub.post("/api/v1/domain-events", "{\"eventType\":42}", PUBLISHER);
            assertEquals(400, malformed.statusCode(), malformed.body());
            var unroutable = hub.post("/api/v1/domain-events",
                    "{\"eventType\":\"component.started\",\"aggregateType\":\"Option\",\"aggregateId\":\"o-1\",\"payload\":{},\"occurredAt\":\"2026-01-07T10:00:00Z\",\"metadata\":{}}", PUBLISHER);
            assertEquals(202, unroutable.statusCode(), unroutable.body());
            assertEquals(1, SeedHub.json(unroutable.body()).path("ignored").asInt(), "counted, skipped");
            domainEvent("session.renamed", "Session", "s-1", "{\"title\":\"Still works\"}", "p1");
            assertEquals("Still works", client.nextOfType("dashboard.update", WAIT).path("data").path("title").asText(), "continues");
        }
    }

    /**
     * Intervals shortened: ping every 300 ms, timeout 300 ms (the profile: 30 s / 60 s). The profile's {@code close-style:
     * abrupt}: the silent client gets the {@code disconnect} notice (4011), then the TCP connection ends without a
     * close frame, so a browser's useDashboardLive sees {@code wasClean: false} and reconnects.
     */
    @Test
    @DisplayName(SEED + "Failure mode: Client ping timeout, server closes connection")
    void clientPingTimeout() throws Exception {
        try (TestHub fast = TestHub.startWithProfile("choicesherpa", Map.of("hub.heartbeat.interval", "300ms", "hub.heartbeat.timeout", "300ms"))) {
            SeedHub.put(fast, "/api/v1/rooms/session:s-1/members/alice", PUBLISHER);
            try (RawWebSocket silent = RawWebSocket.connect(SeedHub.ws(fast, "/api/sessions/s-1/live?token=" + DevTokens.of("alice")), BROWSER)) {
                RawWebSocket.Frame frame;
                do {
                    frame = silent.readFrame(WAIT);
                } while (!frame.isPing());
                JsonNode notice;
                do {
                    frame = silent.readFrame(WAIT);
                    assertFalse(frame.isClose(), "no close handshake with close-style: abrupt: " + frame);
                    notice = frame.isText() ? SeedHub.json(frame.text()) : null;
                } while (notice == null || !notice.path("type").asText().equals("disconnect"));
                assertEquals(4011, notice.path("code").asInt(), notice.toString());
                assertTrue(notice.path("reconnect").asBoolean(), notice.toString());
                assertThrows(java.io.EOFException.class, () -> {
                    while (true) {
                        RawWebSocket.Frame after = silent.readFrame(WAIT);
                        assertFalse(after.isClose(), "no close frame: " + after);
                    }
                }, "the connection is dropped");
            }
        }
    }

    /** Queue lowered to 8 messages for the test (the default: 1024). */
    @Test
    @DisplayName(SEED + "Failure mode: High message volume, oldest messages dropped")
    void highMessageVolume() throws Exception {
        try (TestHub small = TestHub.startWithProfile("choicesherpa", Map.of("hub.connection.outbound-max-messages", "8"))) {
            SeedHub.put(small, "/api/v1/rooms/session:s-1/members/alice", PUBLISHER);
            try (JsonWebSocket slow = JsonWebSocket.connect(SeedHub.ws(small, "/api/sessions/s-1/live?token=" + DevTokens.of("alice")), BROWSER)) {
                slow.nextOfType("connected", WAIT);
                slow.pauseReading();
                for (int batch = 0; batch < 2; batch++) {   // two batches of 1,000 (hub.publish.max-batch)
                    StringBuilder burst = new StringBuilder("[");
                    for (int i = 0; i < 1000; i++) {
                        burst.append(i == 0 ? "" : ",").append("{\"room\":\"session:s-1\",\"type\":\"dashboard.update\",\"meta\":{\"updateType\":\"component.output\"},\"data\":{\"n\":").append(batch * 1000 + i).append(",\"pad\":\"").append("x".repeat(200)).append("\"}}");
                    }
                    SeedHub.publish(small, burst.append(']').toString(), PUBLISHER);
                }
                Thread.sleep(500);
                slow.resumeReading();
                JsonNode dropped = slow.nextOfType("error", Duration.ofSeconds(10));
                assertEquals("SLOW_CONSUMER", dropped.path("code").asText(), dropped.toString());
                assertTrue(dropped.path("dropped").asInt() > 0, dropped.toString());
                assertFalse(slow.closeCode().isDone(), "kept connected");
            }
        }
    }

    // ---- Security requirements ----

    @Test
    @DisplayName(SEED + "Security: authentication required, token in query param or cookie, verified before accepting")
    void authenticationRequired() throws Exception {
        RawWebSocket.HandshakeRefused none = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(SeedHub.ws(hub, "/api/sessions/s-1/live"), BROWSER));
        assertEquals(401, none.status(), "refused before the 101");
        try (RawWebSocket cookie = RawWebSocket.connect(SeedHub.ws(hub, "/api/sessions/s-1/live"),
                Map.of("Cookie", "switchboard_token=" + DevTokens.of("alice"), "Origin", ORIGIN))) {
            assertEquals("connected", SeedHub.json(cookie.readText(WAIT)).path("type").asText());
        }
    }

    @Test
    @DisplayName(SEED + "Security: user must own session or have share access")
    void authorizationModel() throws Exception {
        RawWebSocket.HandshakeRefused stranger = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(live("s-1", "mallory"), BROWSER));
        assertEquals(403, stranger.status());
        try (JsonWebSocket shared = connected("s-1", "bob")) {
            assertFalse(shared.closeCode().isDone(), "shared access is enough");
        }
    }

    @Test
    @DisplayName(SEED + "Security: 5 connections per user, 100 connection attempts per minute per IP")
    void rateLimiting() throws Exception {
        List<RawWebSocket> five = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                five.add(RawWebSocket.connect(live("s-1", "alice"), BROWSER));
            }
            RawWebSocket.HandshakeRefused sixth = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(live("s-1", "alice"), BROWSER));
            assertEquals(503, sixth.status(), "reject new connections if exceeded");
            assertEquals("CONNECTION_LIMIT", SeedHub.json(sixth.body()).path("code").asText());
        } finally {
            five.forEach(RawWebSocket::close);
        }
        try (TestHub fresh = TestHub.startWithProfile("choicesherpa", Map.of())) {
            int refused = 0;
            for (int i = 0; i < 101; i++) {
                try {
                    RawWebSocket.connect(SeedHub.ws(fresh, "/api/sessions/s-1/live"), BROWSER).close();
                } catch (RawWebSocket.HandshakeRefused e) {
                    if (e.status() == 429) {
                        refused++;
                    }
                }
            }
            assertEquals(1, refused, "the 101st attempt within a minute gets 429");
        }
    }

    @Test
    @DisplayName(SEED + "Security: audit logging of connection established/closed and authorization failures")
    void auditLogging() throws Exception {
        connected("s-1", "alice").close();
        assertThrows(RawWebSocket.HandshakeRefused.class, () -> RawWebSocket.connect(live("s-1", "mallory"), BROWSER));
        Thread.sleep(300);
        var audit = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/audit?types=connection.opened,connection.closed,authz.denied"))
                .header("Authorization", "Bearer " + DevTokens.of("root", List.of("admin"), List.of(), Duration.ofMinutes(5))).GET().build());
        assertEquals(200, audit.statusCode(), audit.body());
        String body = audit.body();
        assertTrue(body.contains("connection.opened") && body.contains("connection.closed"), body);
        assertTrue(body.contains("authz.denied") && body.contains("mallory"), body);
    }

    @Test
    @DisplayName(SEED + "Security: origin validation rejects unauthorized origins")
    void originValidation() throws Exception {
        try (RawWebSocket allowed = RawWebSocket.connect(live("s-1", "alice"), Map.of("Origin", ORIGIN))) {
            assertEquals("connected", SeedHub.json(allowed.readText(WAIT)).path("type").asText());
        }
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(live("s-1", "alice"), Map.of("Origin", "https://evil.example")));
        assertEquals(403, refused.status());
    }

    /** authenticate_ws: {@code .ok_or(AuthError::MissingOrigin)?} — an upgrade without Origin is refused before the 101 (auth-failure: reject). */
    @Test
    @DisplayName(SEED + "Security: authenticate_ws refuses an upgrade without Origin (MissingOrigin)")
    void missingOriginRefused() throws Exception {
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(live("s-1", "alice"), Map.of()));
        assertEquals(403, refused.status());
        assertTrue(refused.body().contains("Origin"), refused.body());
        try (RawWebSocket allowed = RawWebSocket.connect(live("s-1", "alice"), BROWSER)) {
            assertEquals("connected", SeedHub.json(allowed.readText(WAIT)).path("type").asText(), "the hub keeps serving browsers");
        }
    }

    @Test
    @DisplayName(SEED + "Security: incoming messages capped at 4KB, close on oversized message")
    void messageSizeLimit() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(live("s-1", "alice"), BROWSER)) {
            client.readText(WAIT);
            client.sendText("{\"type\":\"ping\",\"data\":\"" + "x".repeat(4100) + "\"}");
            assertEquals(1009, client.awaitClose(WAIT).closeCode());
        }
    }

    @Test
    @DisplayName(SEED + "Security: content_preview truncated to 100 characters")
    void contentPreviewTruncated() throws Exception {
        try (JsonWebSocket client = connected("s-1", "alice")) {
            String long500 = "y".repeat(500);
            domainEvent("message.sent", "Cycle", "c-1", "{\"session_id\":\"s-1\",\"cycleId\":\"c-1\",\"componentType\":\"objectives\","
                    + "\"message\":{\"id\":\"m1\",\"role\":\"user\",\"contentPreview\":\"" + long500 + "\",\"timestamp\":\"2026-01-07T10:00:00Z\"}}", "m");
            JsonNode update = client.nextOfType("dashboard.update", WAIT);
            assertEquals("conversation.message", update.path("updateType").asText());
            assertEquals(100, update.path("data").path("message").path("contentPreview").asText().length());
        }
    }

    /** Interval shortened to 300 ms to see the server-initiated pings (the profile: 30 s, timeout 60 s). */
    @Test
    @DisplayName(SEED + "Security: ping interval 30 seconds, server-initiated; ping timeout 60 seconds")
    void pingIntervalServerInitiated() throws Exception {
        try (TestHub fast = TestHub.startWithProfile("choicesherpa", Map.of("hub.heartbeat.interval", "300ms"))) {
            SeedHub.put(fast, "/api/v1/rooms/session:s-1/members/alice", PUBLISHER);
            try (RawWebSocket client = RawWebSocket.connect(SeedHub.ws(fast, "/api/sessions/s-1/live?token=" + DevTokens.of("alice")), BROWSER)) {
                int pings = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (pings < 3 && System.nanoTime() < deadline) {
                    RawWebSocket.Frame frame = client.readFrame(WAIT);
                    if (frame.isPing()) {
                        pings++;
                        client.sendPong(frame.payload());
                    }
                }
                assertEquals(3, pings, "the server pings; answered pongs keep it open");
            }
        }
    }

    // ---- message protocol ----

    @Test
    @DisplayName(SEED + "Message protocol: error message {type: error, code, message} and client ping/pong")
    void errorAndPingPong() throws Exception {
        try (JsonWebSocket client = connected("s-1", "alice")) {
            client.send("{\"type\":\"ping\"}");
            JsonNode pong = client.nextOfType("pong", WAIT);
            assertTrue(pong.path("timestamp").asText().endsWith("Z"), pong.toString());
            client.send("{\"type\":\"join\",\"room\":\"session:s-2\"}");
            JsonNode error = client.nextOfType("error", WAIT);
            assertEquals("FORBIDDEN", error.path("code").asText(), "flat error: " + error);
            assertFalse(error.path("message").asText().isEmpty(), error.toString());
        }
    }

    @Test
    @DisplayName(SEED + "Message protocol: every row of the event type table becomes dashboard.update with its updateType")
    void eventTypeTable() throws Exception {
        Map<String, String> table = new java.util.LinkedHashMap<>();
        table.put("session.created", "session.metadata");
        table.put("session.renamed", "session.metadata");
        table.put("cycle.created", "cycle.created");
        table.put("cycle.branched", "cycle.created");
        table.put("component.started", "component.started");
        table.put("component.completed", "component.completed");
        table.put("component.output_updated", "component.output");
        table.put("message.sent", "conversation.message");
        table.put("pugh_scores.computed", "analysis.scores");
        table.put("dq_scores.computed", "analysis.scores");
        table.put("cycle.completed", "cycle.completed");
        try (JsonWebSocket client = connected("s-1", "alice")) {
            for (var row : table.entrySet()) {
                boolean session = row.getKey().startsWith("session.");
                domainEvent(row.getKey(), session ? "Session" : "Cycle", session ? "s-1" : "c-1",
                        "{\"session_id\":\"s-1\",\"cycleId\":\"c-1\"}", "t-" + row.getKey());
                JsonNode update = client.nextOfType("dashboard.update", WAIT);
                assertEquals(row.getValue(), update.path("updateType").asText(), row.getKey());
                assertEquals("t-" + row.getKey(), update.path("correlationId").asText());
            }
        }
    }

    // ---- helpers ----

    private static void share(String session, String user) {
        assertTrue(SeedHub.put(hub, "/api/v1/rooms/session:" + session + "/members/" + user, PUBLISHER).statusCode() / 100 == 2);
    }

    private static URI live(String session, String user) {
        return SeedHub.ws(hub, "/api/sessions/" + session + "/live?token=" + DevTokens.of(user));
    }

    private static JsonWebSocket connected(String session, String user) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(live(session, user), BROWSER);
        client.nextOfType("connected", WAIT);
        return client;
    }

    /** A domain event that occurred a second ago (the profile's rules stamp updates with occurredAt; history ages from it). */
    private static void domainEvent(String type, String aggregateType, String aggregateId, String payload, String correlationId) {
        var response = hub.post("/api/v1/domain-events", "{\"eventType\":\"" + type + "\",\"aggregateType\":\"" + aggregateType
                + "\",\"aggregateId\":\"" + aggregateId + "\",\"payload\":" + payload + ",\"occurredAt\":\""
                + Instant.now().minusSeconds(1) + "\","
                + "\"metadata\":{\"correlationId\":\"" + correlationId + "\"}}", PUBLISHER);
        assertEquals(202, response.statusCode(), response.body());
    }

    private static void storeState(String session, String state) {
        var response = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/session:" + session + "/state"))
                .header("Authorization", PUBLISHER.get("Authorization")).PUT(HttpRequest.BodyPublishers.ofString(state)).build());
        assertEquals(200, response.statusCode(), response.body());
    }
}

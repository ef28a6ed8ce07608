package io.switchboard.bootstrap.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.TestHub;
import io.switchboard.bootstrap.testing.DevTokens;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.switchboard.bootstrap.profiles.SeedHub.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 003 (proposal review with validation and LLM streaming) against {@code --profile proposal-review}. */
class Seed003ProposalReviewTest {
    private static final String SEED = "003_65bbbcd2ed7500d0.txt — ";
    private static final Map<String, String> PUBLISHER = Map.of("Authorization", DevTokens.publisherBearer());
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithProfile("proposal-review", Map.of());
        for (String member : List.of("alice", "bob")) {   // alice wrote proposal 42, bob reviews it
            assertTrue(SeedHub.put(hub, "/api/v1/rooms/proposal:42/members/" + member, PUBLISHER).statusCode() / 100 == 2);
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    @DisplayName(SEED + "Establish WebSocket connection")
    void establishWebSocketConnection() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(project(hub, "p1", token("alice")))) {
            JsonNode connected = client.nextOfType("connected", WAIT);
            assertEquals("alice", connected.path("userId").asText(), "associated with the user: " + connected);
            assertTrue(connected.path("rooms").toString().contains("project:p1"), "and the project: " + connected);
            assertFalse(connected.path("connectionId").asText().isEmpty(), connected.toString());
        }
    }

    @Test
    @DisplayName(SEED + "WebSocket authentication")
    void webSocketAuthentication() throws Exception {
        String forged = token("alice").replaceAll(".{6}$", "AAAAAA");
        for (URI uri : List.of(ws("/ws/projects/p1"), ws("/ws/projects/p1?token=" + forged))) {
            try (RawWebSocket client = RawWebSocket.connect(uri, Map.of())) {
                JsonNode error = SeedHub.json(client.readText(WAIT));
                assertEquals("AUTH_INVALID", error.path("code").asText(), "flat error: " + error);
                assertEquals(4001, client.awaitClose(WAIT).closeCode(), uri.toString());
            }
        }
    }

    /** Intervals shortened: ping every 300 ms, pong expected within 300 ms (the profile: 30 s / 10 s). */
    @Test
    @DisplayName(SEED + "Connection heartbeat")
    void connectionHeartbeat() throws Exception {
        try (TestHub fast = TestHub.startWithProfile("proposal-review", Map.of("hub.heartbeat.interval", "300ms", "hub.heartbeat.timeout", "300ms"));
             RawWebSocket silent = RawWebSocket.connect(project(fast, "p1", token("alice")), Map.of())) {
            RawWebSocket.Frame frame;
            do {
                frame = silent.readFrame(WAIT);
            } while (!frame.isPing());
            RawWebSocket.Frame close = silent.awaitClose(WAIT);
            assertEquals(4011, close.closeCode(), "no pong within the timeout closes it");
        }
    }

    @Test
    @DisplayName(SEED + "Reconnection handling")
    void reconnectionHandling() throws Exception {
        String lastSeen;
        try (JsonWebSocket before = viewer("alice", "42")) {
            publish("proposal:42", "output", "{\"line\":\"one\",\"stream\":\"stdout\"}");
            lastSeen = before.nextOfType("output", WAIT).path("id").asText();
        }
        publish("proposal:42", "output", "{\"line\":\"two\",\"stream\":\"stdout\"}");
        publish("proposal:42", "output", "{\"line\":\"three\",\"stream\":\"stderr\"}");
        try (JsonWebSocket after = JsonWebSocket.connect(project(hub, "p1", token("alice")))) {
            after.nextOfType("connected", WAIT);
            after.join("proposal:42", lastSeen);
            JsonNode joined = after.nextOfType("joined", WAIT);
            assertTrue(joined.path("recovered").asBoolean(true), joined.toString());
            assertEquals("two", after.nextOfType("output", WAIT).path("line").asText(), "the missed events, in order");
            assertEquals("three", after.nextOfType("output", WAIT).path("line").asText());
        }
    }

    @Test
    @DisplayName(SEED + "Stream validation start")
    void streamValidationStart() throws Exception {
        assertFlat("validation_start", "{\"proposal_id\":42}", "proposal_id", "42");
    }

    @Test
    @DisplayName(SEED + "Stream validation output")
    void streamValidationOutput() throws Exception {
        JsonNode message = assertFlat("output", "{\"line\":\"ok 1 - spec\",\"stream\":\"stdout\"}", "line", "ok 1 - spec");
        assertEquals("stdout", message.path("stream").asText());
    }

    @Test
    @DisplayName(SEED + "Stream validation complete")
    void streamValidationComplete() throws Exception {
        JsonNode message = assertFlat("validation_complete", "{\"status\":\"failed\",\"summary\":{\"errors\":2}}", "status", "failed");
        assertEquals(2, message.path("summary").path("errors").asInt());
    }

    @Test
    @DisplayName(SEED + "Stream validation error")
    void streamValidationError() throws Exception {
        assertFlat("validation_error", "{\"error\":\"validator crashed\"}", "error", "validator crashed");
    }

    @Test
    @DisplayName(SEED + "Stream iteration start")
    void streamIterationStart() throws Exception {
        assertFlat("iteration_start", "{\"proposal_id\":42}", "proposal_id", "42");
    }

    /** Tokens are published without a key, so they are never coalesced: every one arrives, in order. */
    @Test
    @DisplayName(SEED + "Stream LLM tokens")
    void streamLlmTokens() throws Exception {
        try (JsonWebSocket client = viewer("alice", "42")) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 50; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"room\":\"proposal:42\",\"type\":\"token\",\"data\":{\"content\":\"t").append(i).append("\"}}");
            }
            SeedHub.publish(hub, batch.append(']').toString(), PUBLISHER);
            for (int i = 0; i < 50; i++) {
                JsonNode token = client.nextOfType("token", WAIT);
                assertEquals("t" + i, token.path("content").asText(), token.toString());
                assertFalse(token.has("data"), "flat: " + token);
            }
        }
    }

    @Test
    @DisplayName(SEED + "Stream iteration complete")
    void streamIterationComplete() throws Exception {
        JsonNode message = assertFlat("iteration_complete", "{\"files_modified\":[\"a.md\",\"b.md\"],\"validation\":{\"status\":\"passed\"}}",
                "validation", null);
        assertEquals("b.md", message.path("files_modified").path(1).asText());
        assertEquals("passed", message.path("validation").path("status").asText());
    }

    /** The user's cancel is a command to the backend running the LLM (SPEC 5), which then publishes iteration_cancelled. */
    @Test
    @DisplayName(SEED + "Stream iteration cancelled")
    void streamIterationCancelled() throws Exception {
        try (SseClient backend = SseClient.open(hub.http("/api/v1/commands"), PUBLISHER);
             JsonWebSocket client = viewer("alice", "42")) {
            assertEquals(200, backend.status());
            client.send("{\"type\":\"command\",\"room\":\"proposal:42\",\"name\":\"cancel_iteration\",\"data\":{\"iteration\":3}}");
            JsonNode command = backend.nextOfType("command", WAIT).json().path("data");
            assertEquals("cancel_iteration", command.path("name").asText());
            assertEquals("alice", command.path("userId").asText());
            publish("proposal:42", "iteration_cancelled", "{}");
            JsonNode cancelled = client.nextOfType("iteration_cancelled", WAIT);
            assertEquals("proposal:42", cancelled.path("room").asText(), cancelled.toString());
        }
    }

    @Test
    @DisplayName(SEED + "SSE connection")
    void sseConnection() throws Exception {
        try (SseClient sse = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("alice")), Map.of())) {
            assertEquals(200, sse.status());
            assertTrue(sse.response().headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertEquals("proposal:42", sse.nextOfType("joined", WAIT).json().path("data").path("room").asText());
        }
        assertEquals(401, hub.get("/api/v1/proposals/42/events").statusCode(), "not without a token");
    }

    @Test
    @DisplayName(SEED + "SSE validation events")
    void sseValidationEvents() throws Exception {
        try (SseClient sse = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("alice")), Map.of())) {
            sse.nextOfType("joined", WAIT);
            String id = publish("proposal:42", "validation_start", "{\"proposal_id\":42}");
            SseClient.Block block = sse.nextOfType("validation_start", WAIT);
            assertEquals(id, block.id());
            JsonNode json = block.json();
            assertEquals("validation_start", json.path("type").asText());
            assertEquals(42, json.path("data").path("proposal_id").asInt(), json.toString());
        }
    }

    @Test
    @DisplayName(SEED + "SSE reconnection")
    void sseReconnection() throws Exception {
        String lastEventId;
        try (SseClient sse = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("bob")), Map.of())) {
            sse.nextOfType("joined", WAIT);
            publish("proposal:42", "output", "{\"line\":\"before\"}");
            lastEventId = sse.nextOfType("output", WAIT).id();
        }
        publish("proposal:42", "output", "{\"line\":\"missed 1\"}");
        publish("proposal:42", "output", "{\"line\":\"missed 2\"}");
        try (SseClient sse = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("bob")), Map.of("Last-Event-ID", lastEventId))) {
            assertEquals("missed 1", sse.nextOfType("output", WAIT).json().path("data").path("line").asText());
            assertEquals("missed 2", sse.nextOfType("output", WAIT).json().path("data").path("line").asText());
        }
    }

    /** Viewers of a proposal are its members (author, reviewers) watching its stream; here over SSE, the WebSocket form is in reconnectionHandling. */
    @Test
    @DisplayName(SEED + "Proposal status change")
    void proposalStatusChange() throws Exception {
        try (SseClient alice = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("alice")), Map.of());
             SseClient bob = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("bob")), Map.of())) {
            alice.nextOfType("joined", WAIT);
            bob.nextOfType("joined", WAIT);
            publish("proposal:42", "proposal_status", "{\"status\":\"approved\"}");
            for (SseClient viewer : List.of(alice, bob)) {
                assertEquals("approved", viewer.nextOfType("proposal_status", WAIT).json().path("data").path("status").asText());
            }
        }
    }

    @Test
    @DisplayName(SEED + "New comment notification")
    void newCommentNotification() throws Exception {
        try (SseClient author = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("alice")), Map.of());
             SseClient reviewer = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("bob")), Map.of())) {
            author.nextOfType("joined", WAIT);
            reviewer.nextOfType("joined", WAIT);
            publish("proposal:42", "comment_created", "{\"author\":\"bob\",\"text\":\"LGTM\"}");
            assertEquals("LGTM", author.nextOfType("comment_created", WAIT).json().path("data").path("text").asText());
            assertEquals("LGTM", reviewer.nextOfType("comment_created", WAIT).json().path("data").path("text").asText());
        }
        var outsider = hub.get("/api/v1/proposals/42/events?token=" + token("mallory"));
        assertEquals(403, outsider.statusCode(), "neither reviewer nor author: " + outsider.body());
    }

    @Test
    @DisplayName(SEED + "Lock status change")
    void lockStatusChange() throws Exception {
        try (JsonWebSocket a = JsonWebSocket.connect(project(hub, "p1", token("alice")));
             JsonWebSocket b = JsonWebSocket.connect(project(hub, "p1", token("bob")));
             JsonWebSocket other = JsonWebSocket.connect(project(hub, "p2", token("carol")))) {
            for (JsonWebSocket client : List.of(a, b, other)) {
                client.nextOfType("connected", WAIT);
            }
            publish("project:p1", "lock_status", "{\"locked\":true,\"by\":\"alice\"}");
            for (JsonWebSocket client : List.of(a, b)) {
                JsonNode lock = client.nextOfType("lock_status", WAIT);
                assertTrue(lock.path("locked").asBoolean(), lock.toString());
            }
            other.send("{\"type\":\"ping\"}");
            assertEquals("pong", other.next(WAIT).path("type").asText(), "another project hears nothing");
        }
    }

    @Test
    @DisplayName(SEED + "Max connections per user")
    void maxConnectionsPerUser() throws Exception {
        List<JsonWebSocket> five = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                five.add(JsonWebSocket.connect(project(hub, "p1", token("dave"))));
                five.getLast().nextOfType("connected", WAIT);
            }
            try (JsonWebSocket sixth = JsonWebSocket.connect(project(hub, "p1", token("dave")))) {
                assertEquals("connected", sixth.nextOfType("connected", WAIT).path("type").asText(), "the new connection is accepted");
                assertEquals(4009, five.getFirst().closeCode().get(5, TimeUnit.SECONDS), "the oldest is closed");
                for (int i = 1; i < 5; i++) {
                    assertFalse(five.get(i).closeCode().isDone(), "only the oldest");
                }
            }
        } finally {
            five.forEach(JsonWebSocket::close);
        }
    }

    @Test
    @DisplayName(SEED + "Max connections per project")
    void maxConnectionsPerProject() throws Exception {
        List<RawWebSocket> fifty = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {   // 50 users, so the per-user limit plays no part
                fifty.add(RawWebSocket.connect(project(hub, "busy", token("user" + i)), Map.of()));
                fifty.getLast().readText(WAIT); // connected: sent once the project room is joined
            }
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(project(hub, "busy", token("user50")), Map.of()));
            assertEquals(503, refused.status());
            assertEquals("CONNECTION_LIMIT", SeedHub.json(refused.body()).path("code").asText());
            try (RawWebSocket elsewhere = RawWebSocket.connect(project(hub, "quiet", token("user50")), Map.of())) {
                assertFalse(elsewhere.readText(WAIT).isEmpty(), "another project still has room");
            }
        } finally {
            fifty.forEach(RawWebSocket::close);
        }
    }

    @Test
    @DisplayName(SEED + "Subscribe to audit events")
    void subscribeToAuditEvents() throws Exception {
        try (JsonWebSocket admin = JsonWebSocket.connect(ws("/ws/audit?token=" + DevTokens.of("root", List.of("admin"), List.of(), Duration.ofMinutes(5))))) {
            admin.nextOfType("connected", WAIT);
            try (SseClient bob = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("bob")), Map.of())) {
                bob.nextOfType("joined", WAIT);
                JsonNode opened = nextAudit(admin, "connection.opened", "bob"); // the admin's own may come first
                assertEquals("/api/v1/proposals/{id}/events", opened.path("endpoint").asText(), opened.toString());
            }
            String forged = token("mallory").replaceAll(".{6}$", "AAAAAA");
            assertEquals(401, hub.get("/api/v1/proposals/42/events?token=" + forged).statusCode());
            JsonNode failed = nextAudit(admin, "auth.failed");
            assertEquals("AUTH_INVALID", failed.path("outcome").asText(), failed.toString());
        }
        try (RawWebSocket notAdmin = RawWebSocket.connect(ws("/ws/audit?token=" + token("alice")), Map.of())) {
            assertEquals("FORBIDDEN", SeedHub.json(notAdmin.readText(WAIT)).path("data").path("code").asText(), "admins only");
        }
    }

    @Test
    @DisplayName(SEED + "Filter audit events")
    void filterAuditEvents() throws Exception {
        String admin = DevTokens.of("root", List.of("admin"), List.of(), Duration.ofMinutes(5));
        try (JsonWebSocket watcher = JsonWebSocket.connect(ws("/ws/audit?types=connection.opened&user=erin&token=" + admin))) {
            watcher.nextOfType("connected", WAIT);
            try (SseClient other = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("bob")), Map.of());
                 SseClient erin = SseClient.open(hub.http("/sse?rooms=project:p1&token=" + token("erin")), Map.of())) {
                other.nextOfType("joined", WAIT);
                erin.nextOfType("joined", WAIT);
                JsonNode audit = nextAudit(watcher, "connection.opened");
                assertEquals("erin", audit.path("userId").asText(), "only the filtered user: " + audit);
                for (JsonNode message : watcher.history()) {
                    if (message.path("type").asText().equals("audit")) {
                        assertEquals("erin", message.path("data").path("userId").asText(), "nothing else: " + message);
                        assertEquals("connection.opened", message.path("data").path("type").asText(), message.toString());
                    }
                }
            }
        }
    }

    // ---- helpers ----

    private static String token(String user) {
        return DevTokens.of(user, List.of(), List.of("project:*"), Duration.ofMinutes(10));
    }

    private static URI ws(String pathAndQuery) {
        return SeedHub.ws(hub, pathAndQuery);
    }

    private static URI project(TestHub on, String project, String token) {
        return SeedHub.ws(on, "/ws/projects/" + project + "?token=" + token);
    }

    /** A client on the project endpoint that opened proposal 42 (joined its room with the canonical verb). */
    private static JsonWebSocket viewer(String user, String proposal) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(project(hub, "p1", token(user)));
        client.nextOfType("connected", WAIT);
        client.join("proposal:" + proposal);
        client.nextOfType("joined", WAIT);
        return client;
    }

    private static String publish(String room, String type, String data) {
        JsonNode ids = SeedHub.publish(hub, "{\"room\":\"" + room + "\",\"type\":\"" + type + "\",\"data\":" + data + "}", PUBLISHER);
        return ids.path("ids").path(room).asText();
    }

    /** Publishes to proposal 42 and checks a viewer gets it flat: the data's fields at the top level, next to type and timestamp. */
    private static JsonNode assertFlat(String type, String data, String field, String expected) throws Exception {
        try (JsonWebSocket client = viewer("alice", "42")) {
            publish("proposal:42", type, data);
            JsonNode message = client.nextOfType(type, WAIT);
            assertFalse(message.has("data"), "flat, no data envelope: " + message);
            assertTrue(message.path("timestamp").asText().endsWith("Z"), message.toString());
            if (expected != null) {
                assertEquals(expected, message.path(field).asText(), message.toString());
            }
            return message;
        }
    }

    private static JsonNode nextAudit(JsonWebSocket watcher, String type) {
        return nextAudit(watcher, type, null);
    }

    /** The next audit entry of {@code type} (and of {@code user}, unless null). */
    private static JsonNode nextAudit(JsonWebSocket watcher, String type, String user) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode message = watcher.nextOfType("audit", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (message.path("data").path("type").asText().equals(type)
                    && (user == null || message.path("data").path("userId").asText().equals(user))) {
                return message.path("data");
            }
        }
    }
}

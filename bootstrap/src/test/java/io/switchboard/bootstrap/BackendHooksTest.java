package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.DevTokens;
import io.switchboard.bootstrap.testing.EngineIoSocket;
import io.switchboard.bootstrap.testing.HookBackend;
import io.switchboard.bootstrap.testing.HookBackend.Answer;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.LogWatch;
import io.switchboard.bootstrap.testing.RawWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend hooks (SPEC 16) against a real HTTP backend started here: the connect hook on WebSocket
 * ({@code /ws}, configured endpoints with {@code auth-failure: close} and {@code reject}), SSE and
 * Socket.IO; the subscribe hook on joins; the command hook's {@code command_result}. The backend decides
 * by the forwarded {@code X-Scenario} header: allow, refuse with a code, answer too slowly, answer
 * garbage or another status. No token ever reaches the log.
 */
class BackendHooksTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TOKEN = DevTokens.of("alice");
    private static final String USER_NOT_FOUND = "User ID in token does not exist";
    private static final String NOT_A_REVIEWER = "only reviewers and the author may follow this proposal";

    private static HookBackend backend;
    private static String down;
    private static LogWatch log;
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        log = LogWatch.everything();
        backend = HookBackend.start(BackendHooksTest::answer);
        down = HookBackend.nothingListening();
        String connect = "{url: \"" + backend.url("/connect") + "\", headers: [Authorization, X-Scenario], timeout: 1500ms}";
        hub = TestHub.startWithYaml("""
                hub:
                  websocket:
                    hooks: { connect: %1$s }
                  sse:
                    hooks: { connect: %1$s }
                  socket-io:
                    path: /socket.io/
                    hooks: { connect: %1$s }
                  endpoints:
                    - path: /ws/reject
                      transport: websocket
                      auth-failure: reject
                      hooks: { connect: %1$s }
                    - path: /ws/down
                      transport: websocket
                      hooks: { connect: { url: "%2$s" } }
                    - path: /ws/open
                      transport: websocket
                      hooks: { connect: { url: "%2$s", on-failure: allow } }
                  namespaces:
                    proposal:
                      hooks:
                        subscribe: { url: "%3$s", timeout: 1500ms }
                        command: { url: "%4$s", timeout: 1500ms }
                    news:
                      presence: true
                    flaky:
                      hooks:
                        subscribe: { url: "%2$s" }
                        command: { url: "%2$s", on-failure: allow }
                """.formatted(connect, down, backend.url("/subscribe"), backend.url("/command")),
                Map.of("hub.auth.jwks", DevTokens.JWKS));
    }

    @AfterAll
    static void stop() {
        hub.close();
        backend.close();
        log.close();
    }

    /** What the application answers: by the command's name, the room joined, or the client's X-Scenario header. */
    private static Answer answer(JsonNode question) {
        if (question.has("command")) {
            return switch (question.path("command").path("name").asText()) {
                case "estimate" -> Answer.json("{\"allow\":true,\"result\":{\"tokens\":42,\"asked\":"
                        + question.path("command").path("data") + "}}");
                case "nothing" -> Answer.json("{\"allow\":true}");
                default -> Answer.refuse("NOT_ALLOWED", "only the author may do that");
            };
        }
        if (question.has("room")) {
            return question.path("room").asText().equals("proposal:secret") ? Answer.refuse("NOT_A_REVIEWER", NOT_A_REVIEWER)
                    : Answer.allow();
        }
        return switch (question.path("headers").path("x-scenario").asText("")) {
            case "refuse" -> Answer.refuse("USER_NOT_FOUND", USER_NOT_FOUND);
            case "user" -> Answer.json("{\"allow\":true,\"userId\":\"user-7\",\"rooms\":[\"news:hooked\"],\"info\":{\"plan\":\"pro\"}}");
            case "slow" -> new Answer(200, "{\"allow\":true}", Duration.ofSeconds(4));
            case "garbage" -> new Answer(200, "<html>surely not JSON</html>", Duration.ZERO);
            case "status" -> new Answer(500, "{\"allow\":true}", Duration.ZERO);
            case "wrong-type" -> Answer.json("{\"allow\":\"yes\"}");
            default -> Answer.allow();
        };
    }

    private static Map<String, String> scenario(String name) {
        return Map.of("X-Scenario", name, "Authorization", "Bearer " + TOKEN);
    }

    // ---- connect: WebSocket ----

    @Test
    void anAllowedConnectTakesTheHooksUserAndJoinsItsRoomsBeforeTheClientSeesItOpen() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws(), scenario("user"))) {
            JsonNode connected = client.nextOfType("connected", WAIT).path("data");
            assertEquals("user-7", connected.path("userId").asText(), connected.toString());
            assertEquals(List.of("news:hooked"), List.of(JsonWebSocket.json().treeToValue(connected.path("rooms"), String[].class)));
            publish("news:hooked", "{\"n\":1}");
            assertEquals(1, client.nextOfType("note", WAIT).path("data").path("n").asInt());
            HttpResponse<String> presence = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/news:hooked/presence"))
                    .header("Authorization", DevTokens.publisherBearer()).timeout(WAIT).GET().build());
            JsonNode member = json(presence.body()).path("clients").path(0);
            assertEquals("user-7", member.path("userId").asText(), presence.body());
            assertEquals("pro", member.path("info").path("plan").asText(), "presence shows the connect hook's info: " + presence.body());
        }
        JsonNode question = lastQuestion(q -> "user".equals(q.path("headers").path("x-scenario").asText()));
        assertEquals("/ws", question.path("endpoint").asText(), question.toString());
        assertEquals("/ws", question.path("path").asText());
        assertEquals("alice", question.path("userId").asText());
        assertEquals("alice", question.path("claims").path("sub").asText());
        assertEquals("Bearer " + TOKEN, question.path("headers").path("authorization").asText(), "the forwarded header");
        assertFalse(question.has("room") || question.has("command") || question.has("connectionId"), question.toString());
    }

    @Test
    void aRefusedConnectGetsTheBackendsCodeAndMessageThenClose4003() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws(), scenario("refuse"))) {
            JsonNode error = client.nextOfType("error", WAIT).path("data");
            assertEquals("USER_NOT_FOUND", error.path("code").asText(), error.toString());
            assertEquals(USER_NOT_FOUND, error.path("message").asText());
            assertEquals(4003, client.closeCode().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void aHookThatIsSlowDownOrAnswersGarbageRefusesTheClient() throws Exception {
        for (String failure : List.of("slow", "garbage", "status", "wrong-type")) {
            try (JsonWebSocket client = JsonWebSocket.connect(hub.ws(), scenario(failure))) {
                JsonNode error = client.nextOfType("error", WAIT).path("data");
                assertEquals("FORBIDDEN", error.path("code").asText(), failure + ": " + error);
                assertEquals(4003, client.closeCode().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), failure);
            }
        }
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws("").resolve("/ws/down"), Map.of())) {
            assertEquals("FORBIDDEN", client.nextOfType("error", WAIT).path("data").path("code").asText());
            assertEquals(4003, client.closeCode().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void onFailureAllowLetsTheClientInWhenTheHookIsDown() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws("").resolve("/ws/open"), Map.of("Authorization", "Bearer " + TOKEN))) {
            assertEquals("alice", client.nextOfType("connected", WAIT).path("data").path("userId").asText());
        }
    }

    @Test
    void anEndpointThatRejectsAnswers403WithTheBackendsCodeBeforeTheUpgrade() throws Exception {
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(hub.ws("").resolve("/ws/reject"), scenario("refuse")));
        assertEquals(403, refused.status());
        JsonNode body = JsonWebSocket.json().readTree(refused.body());
        assertEquals("USER_NOT_FOUND", body.path("code").asText(), refused.body());
        assertEquals(USER_NOT_FOUND, body.path("message").asText());
        try (RawWebSocket allowed = RawWebSocket.connect(hub.ws("").resolve("/ws/reject"), scenario("allow"))) {
            assertEquals("connected", JsonWebSocket.json().readTree(allowed.readText(WAIT)).path("type").asText());
        }
    }

    // ---- connect: SSE and Socket.IO ----

    @Test
    void sseRefusedOrFailedIs403WithTheCodeAndAllowedStreams() throws Exception {
        HttpResponse<String> refused = sse("refuse");
        assertEquals(403, refused.statusCode());
        JsonNode body = JsonWebSocket.json().readTree(refused.body());
        assertEquals("USER_NOT_FOUND", body.path("code").asText(), refused.body());
        assertEquals(USER_NOT_FOUND, body.path("message").asText());
        HttpResponse<String> garbage = sse("garbage");
        assertEquals(403, garbage.statusCode());
        assertEquals("FORBIDDEN", JsonWebSocket.json().readTree(garbage.body()).path("code").asText(), garbage.body());
        try (SseClient stream = SseClient.open(hub.http("/sse?rooms=news:sse"), scenario("user"))) {
            assertEquals(200, stream.status());
            stream.nextOfType("joined", WAIT);
            publish("news:hooked", "{\"n\":2}");
            assertEquals(2, stream.nextOfType("note", WAIT).json().path("data").path("n").asInt(), "the hook's room is joined too");
        }
        JsonNode question = lastQuestion(q -> "/sse".equals(q.path("endpoint").asText()));
        assertEquals("/sse", question.path("path").asText(), question.toString());
    }

    @Test
    void socketIoRefusedIsAConnectErrorWithTheCodeThenClose4003AndAllowedTakesTheHooksUser() throws Exception {
        try (EngineIoSocket refused = EngineIoSocket.open(hub.port(), "/socket.io/", "", scenario("refuse"))) {
            refused.handshake(WAIT);
            refused.send("40");
            String answer = refused.next(WAIT);
            assertTrue(answer.startsWith("44{"), answer);
            JsonNode error = EngineIoSocket.json(answer.substring(2));
            assertEquals(USER_NOT_FOUND, error.path("message").asText(), answer);
            assertEquals("USER_NOT_FOUND", error.path("data").path("code").asText(), answer);
            assertEquals(4003, refused.raw().awaitClose(WAIT).closeCode());
        }
        try (EngineIoSocket allowed = EngineIoSocket.open(hub.port(), "/socket.io/", "", scenario("user"))) {
            allowed.connect(null, WAIT);
            assertEquals("user-7", allowed.nextEvent("connected", WAIT).path(1).path("userId").asText());
            publish("news:hooked", "{\"n\":3}");
            JsonNode event = allowed.nextEvent("note", WAIT);
            assertEquals(3, event.path(1).path("n").asInt(), event.toString());
        }
        try (EngineIoSocket joining = EngineIoSocket.open(hub.port(), "/socket.io/", "", scenario("allow"))) {
            joining.connect(null, WAIT);
            joining.nextEvent("connected", WAIT);
            joining.emit("join", "{\"room\":\"proposal:secret\"}");
            JsonNode error = joining.nextEvent("error", WAIT);
            assertEquals("NOT_A_REVIEWER", error.path(1).path("code").asText(), "the subscribe hook on Socket.IO: " + error);
            assertEquals(NOT_A_REVIEWER, error.path(1).path("message").asText());
            joining.emit("join", "{\"room\":\"proposal:open\"}");
            assertEquals("proposal:open", joining.nextEvent("joined", WAIT).path(1).path("room").asText());
        }
    }

    // ---- subscribe ----

    @Test
    void aJoinTheSubscribeHookRefusesGetsTheBackendsCodeAndNoEvents() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws(), scenario("allow"))) {
            client.nextOfType("connected", WAIT);
            client.send("{\"type\":\"join\",\"ref\":\"j1\",\"data\":{\"room\":\"proposal:secret\"}}");
            JsonNode error = client.nextOfType("error", WAIT).path("data");
            assertEquals("NOT_A_REVIEWER", error.path("code").asText(), error.toString());
            assertEquals(NOT_A_REVIEWER, error.path("message").asText());
            assertEquals("j1", error.path("ref").asText());
            client.join("proposal:open");
            assertEquals("proposal:open", client.nextOfType("joined", WAIT).path("data").path("room").asText());
            publish("proposal:secret", "{\"n\":4}");
            publish("proposal:open", "{\"n\":5}");
            assertEquals(5, client.nextOfType("note", WAIT).path("data").path("n").asInt(), "no event of the refused room comes first");
            client.join("flaky:1");
            assertEquals("SUBSCRIPTION_FAILED", client.nextOfType("error", WAIT).path("data").path("code").asText(), "a hook that is down");
        }
        JsonNode question = lastQuestion(q -> "proposal:open".equals(q.path("room").asText()));
        assertEquals("/ws", question.path("endpoint").asText(), question.toString());
        assertEquals("alice", question.path("userId").asText());
        assertFalse(question.path("connectionId").asText().isEmpty(), question.toString());
    }

    @Test
    void theHistoryApiAsksTheSubscribeHookAsAJoinDoes() {
        publish("proposal:secret", "{\"n\":6}");
        publish("proposal:open", "{\"n\":7}");
        HttpResponse<String> refused = history("proposal:secret", "Bearer " + TOKEN);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("NOT_A_REVIEWER"), "the backend's code: " + refused.body());
        assertFalse(refused.body().contains("\"n\":6"), "no event of the refused room: " + refused.body());
        HttpResponse<String> allowed = history("proposal:open", "Bearer " + TOKEN);
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertTrue(allowed.body().contains("\"n\":7"), allowed.body());
        JsonNode question = lastQuestion(q -> "proposal:open".equals(q.path("room").asText()));
        assertEquals("alice", question.path("userId").asText(), question.toString());
        HttpResponse<String> publisher = history("proposal:secret", DevTokens.publisherBearer());
        assertEquals(200, publisher.statusCode(), "publishers read any room's history: " + publisher.body());
        assertEquals("SUBSCRIPTION_FAILED", json(history("flaky:1", "Bearer " + TOKEN).body()).path("code").asText(),
                "a hook that is down refuses the read too");
    }

    // ---- command ----

    @Test
    void aHookedCommandIsAnsweredWithCommandResultAndNotQueuedForPublishers() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws(), scenario("allow"));
             SseClient publishers = SseClient.open(hub.http("/api/v1/commands"), Map.of("Authorization", DevTokens.publisherBearer()))) {
            publishers.nextOfType("joined", WAIT);
            client.join("proposal:9");
            client.nextOfType("joined", WAIT);
            client.send("{\"type\":\"command\",\"ref\":\"c1\",\"data\":{\"room\":\"proposal:9\",\"name\":\"estimate\",\"data\":{\"pages\":3}}}");
            JsonNode result = client.nextOfType("command_result", WAIT).path("data");
            assertEquals("c1", result.path("ref").asText(), result.toString());
            assertEquals(42, result.path("result").path("tokens").asInt());
            assertEquals(3, result.path("result").path("asked").path("pages").asInt());
            client.send("{\"type\":\"command\",\"ref\":\"c2\",\"data\":{\"room\":\"proposal:9\",\"name\":\"delete\"}}");
            JsonNode refused = client.nextOfType("error", WAIT).path("data");
            assertEquals("NOT_ALLOWED", refused.path("code").asText(), refused.toString());
            assertEquals("c2", refused.path("ref").asText());
            client.send("{\"type\":\"command\",\"data\":{\"room\":\"proposal:9\",\"name\":\"nothing\"}}");
            JsonNode empty = client.nextOfType("command_result", WAIT).path("data");
            assertTrue(empty.path("result").isNull() && !empty.has("ref"), empty.toString());
            // The same command over HTTP (SPEC 5's route) is answered by the hook too.
            String connectionId = client.history().stream().filter(m -> "connected".equals(m.path("type").asText())).findFirst()
                    .orElseThrow().path("data").path("connectionId").asText();
            HttpResponse<String> http = hub.post("/api/v1/rooms/proposal:9/commands",
                    "{\"connectionId\":\"" + connectionId + "\",\"name\":\"estimate\",\"data\":{\"pages\":5}}", Map.of());
            assertEquals(200, http.statusCode(), http.body());
            assertEquals(5, JsonWebSocket.json().readTree(http.body()).path("result").path("asked").path("pages").asInt(), http.body());
            HttpResponse<String> forbidden = hub.post("/api/v1/rooms/proposal:9/commands",
                    "{\"connectionId\":\"" + connectionId + "\",\"name\":\"delete\"}", Map.of());
            assertEquals(403, forbidden.statusCode(), forbidden.body());
            assertEquals("NOT_ALLOWED", JsonWebSocket.json().readTree(forbidden.body()).path("code").asText(), forbidden.body());
            // A room without a command hook still queues: the first command publishers see is this one.
            client.join("other:1");
            client.nextOfType("joined", WAIT);
            client.send("{\"type\":\"command\",\"data\":{\"room\":\"other:1\",\"name\":\"cancel\"}}");
            JsonNode queued = publishers.nextOfType("command", WAIT).json().path("data");
            assertEquals("other:1", queued.path("room").asText(), "hooked commands are not in $commands: " + queued);
        }
        JsonNode question = lastQuestion(q -> q.has("command") && "estimate".equals(q.path("command").path("name").asText()));
        assertEquals("proposal:9", question.path("room").asText(), question.toString());
        assertEquals(5, question.path("command").path("data").path("pages").asInt(), "the last one came over HTTP: " + question);
        assertEquals("/ws", question.path("endpoint").asText(), "the sender's endpoint: " + question);
        assertEquals("alice", question.path("userId").asText(), question.toString());
    }

    // ---- stats, metrics, log ----

    @Test
    void hookCallsAreCountedByKindInStatsAndMetricsAndNoTokenIsLogged() throws Exception {
        try (JsonWebSocket refused = JsonWebSocket.connect(hub.ws(), scenario("refuse"));
             JsonWebSocket failed = JsonWebSocket.connect(hub.ws(), scenario("garbage"));
             JsonWebSocket allowed = JsonWebSocket.connect(hub.ws(), scenario("allow"))) {
            refused.closeCode().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            failed.closeCode().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            allowed.nextOfType("connected", WAIT);
            allowed.join("proposal:stats");
            allowed.nextOfType("joined", WAIT);
        }
        JsonNode hooks = JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body()).path("hooks");
        JsonNode connect = hooks.path("connect");
        assertTrue(connect.path("allowed").asLong() >= 1 && connect.path("refused").asLong() >= 1 && connect.path("failed").asLong() >= 1,
                hooks.toString());
        assertTrue(connect.path("latencyMs").path("p99").asDouble() > 0, hooks.toString());
        assertTrue(hooks.path("subscribe").path("allowed").asLong() >= 1, hooks.toString());
        String metrics = hub.get("/metrics").body();
        assertTrue(metrics.contains("switchboard_hook_calls_total{hook=\"connect\",outcome=\"refused\"} "), metrics);
        assertTrue(metrics.contains("switchboard_hook_calls_total{hook=\"connect\",outcome=\"failed\"} "), metrics);
        assertTrue(metrics.contains("switchboard_hook_latency_ms{hook=\"subscribe\",quantile=\"0.99\"} "), metrics);

        List<String> lines = log.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("connect hook") && l.contains("failed")), "a failure is logged");
        for (String line : lines) {
            assertFalse(line.contains(TOKEN), "a token in the log: " + line);
            assertFalse(line.contains("surely not JSON"), "an answer's body in the log: " + line);
        }
    }

    // ---- helpers ----

    private static HttpResponse<String> sse(String scenario) {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.http("/sse?rooms=news:sse")).header("Accept", "text/event-stream")
                .timeout(WAIT);
        scenario(scenario).forEach(request::header);
        return TestHub.send(request.GET().build());
    }

    private static HttpResponse<String> history(String room, String authorization) {
        return TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/" + room + "/events")).header("Authorization", authorization)
                .timeout(WAIT).GET().build());
    }

    private static JsonNode json(String body) {
        try {
            return JsonWebSocket.json().readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void publish(String room, String data) {
        HttpResponse<String> response = hub.post("/api/v1/events", "{\"room\":\"" + room + "\",\"type\":\"note\",\"data\":" + data + "}",
                Map.of("Authorization", DevTokens.publisherBearer()));
        assertEquals(202, response.statusCode(), response.body());
    }

    private static JsonNode lastQuestion(java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> asked = backend.questions().stream().filter(which).toList();
        assertFalse(asked.isEmpty(), "the backend was asked: " + backend.questions());
        return asked.getLast();
    }
}

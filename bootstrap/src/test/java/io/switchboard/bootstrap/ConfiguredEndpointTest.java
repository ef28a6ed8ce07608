package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configured WebSocket endpoints ({@code hub.endpoints}, transport websocket) and their dialects, over real sockets. */
class ConfiguredEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Seed 002's dashboard: the path names the user, who must be the token's subject. */
    private static final String DASHBOARD = """
            hub:
              auth:
                jwks: '%s'
              endpoints:
                - path: /ws/dashboard/{userId}
                  transport: websocket
                  auth: required
                  rooms: [ "user:{userId}" ]
                  bind: { userId: sub }
                  dialect:
                    envelope: payload
                    types:
                      connected: connection_success
                    connected:
                      userId: "{userId|number}"
                      message: "Successfully connected to dashboard updates"
                      connection: "{connectionId}"
                    join:  { verb: subscribe_dashboard,   field: userId, room: "user:{value}" }
                    leave: { verb: unsubscribe_dashboard, field: userId, room: "user:{value}" }
                    errors: { FORBIDDEN: SUBSCRIPTION_FAILED }
                - path: /ws/strict/{userId}
                  transport: websocket
                  auth: optional
                  auth-failure: reject
                  bind: { userId: sub }
            """;

    @Test
    void aPayloadDialectEndpointGreetsWithItsOwnFieldsAndAutoJoinsTheUsersRoom() throws Exception {
        try (TestHub hub = TestHub.startWithYaml(DASHBOARD.formatted(AuthTest.JWKS), Map.of());
             JsonWebSocket client = JsonWebSocket.connect(uri(hub, "/ws/dashboard/17?token=" + token("17")))) {
            JsonNode hello = client.next(WAIT);
            assertEquals("connection_success", hello.path("type").asText(), hello.toString());
            assertTrue(hello.path("payload").path("userId").isIntegralNumber(), "{userId|number} is a JSON number: " + hello);
            assertEquals(17, hello.path("payload").path("userId").asInt());
            assertEquals("Successfully connected to dashboard updates", hello.path("payload").path("message").asText());
            assertFalse(hello.path("payload").path("connection").asText().isEmpty(), "{connectionId} filled in");
            assertFalse(hello.has("data"), "the payload envelope has no data field");
            assertTrue(hello.has("timestamp"));
            // joined to user:17 on connect (before connection_success was sent), without a "joined" message of its own

            publishAsBackend(hub, "{\"room\":\"user:17\",\"type\":\"dashboard_update\",\"data\":{\"totalTasks\":15}}");
            publishAsBackend(hub, "{\"room\":\"user:18\",\"type\":\"dashboard_update\",\"data\":{\"totalTasks\":99}}");
            JsonNode update = client.next(WAIT);
            assertEquals("dashboard_update", update.path("type").asText(), "the first message after connection_success: " + update);
            assertEquals(15, update.path("payload").path("totalTasks").asInt(), update.toString());
            assertEquals("user:17", update.path("room").asText());
            assertFalse(update.path("id").asText().isEmpty());

            // the dialect's verbs: field -> room template; fields may sit under payload
            client.send("{\"type\":\"subscribe_dashboard\",\"payload\":{\"userId\":18}}");
            assertEquals("user:18", client.nextOfType("joined", WAIT).path("payload").path("room").asText());
            publishAsBackend(hub, "{\"room\":\"user:18\",\"type\":\"dashboard_update\",\"data\":{\"totalTasks\":19}}");
            assertEquals(19, client.nextOfType("dashboard_update", WAIT).path("payload").path("totalTasks").asInt());
            client.send("{\"type\":\"unsubscribe_dashboard\",\"data\":{\"userId\":\"18\"}}");
            assertEquals("user:18", client.nextOfType("left", WAIT).path("payload").path("room").asText());
            client.send("{\"type\":\"subscribe_dashboard\",\"payload\":{}}");
            JsonNode missing = client.nextOfType("error", WAIT).path("payload");
            assertEquals("MESSAGE_INVALID", missing.path("code").asText());
            assertTrue(missing.path("message").asText().contains("userId"), missing.toString());

            // canonical verbs keep working; their errors are renamed
            client.send("{\"type\":\"join\",\"data\":{\"room\":\"$secret\"}}");
            assertEquals("SUBSCRIPTION_FAILED", client.nextOfType("error", WAIT).path("payload").path("code").asText(),
                    "FORBIDDEN is renamed on this endpoint");
            client.send("{\"type\":\"ping\",\"data\":{\"n\":1}}");
            assertEquals(1, client.nextOfType("pong", WAIT).path("payload").path("n").asInt());
        }
    }

    @Test
    void aPathParameterThatIsNotTheTokensSubjectIsForbidden() throws Exception {
        try (TestHub hub = TestHub.startWithYaml(DASHBOARD.formatted(AuthTest.JWKS), Map.of())) {
            try (JsonWebSocket intruder = JsonWebSocket.connect(uri(hub, "/ws/dashboard/17?token=" + token("18")))) {
                JsonNode error = intruder.next(WAIT);
                assertEquals("error", error.path("type").asText(), error.toString());
                assertEquals("SUBSCRIPTION_FAILED", error.path("payload").path("code").asText(), "FORBIDDEN, renamed by the dialect");
                assertEquals(4003, intruder.closeCode().get(5, TimeUnit.SECONDS));
                assertTrue(intruder.history().stream().noneMatch(m -> m.path("type").asText().equals("joined")),
                        "never joined user:17: " + intruder.history());
            }
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(uri(hub, "/ws/strict/17?token=" + token("18")), Map.of()));
            assertEquals(403, refused.status(), "auth-failure: reject answers before the 101");
            assertEquals("FORBIDDEN", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
            assertEquals(403, assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(uri(hub, "/ws/strict/17"), Map.of())).status(), "no token, no binding");
            try (RawWebSocket owner = RawWebSocket.connect(uri(hub, "/ws/strict/17?token=" + token("17")), Map.of())) {
                assertEquals("connected", JsonWebSocket.json().readTree(owner.readText(WAIT)).path("type").asText());
            }
        }
    }

    /** Seed 001's session dashboard: flat messages, {@code request.state} without a field syncs the endpoint's rooms. */
    @Test
    void aFlatDialectPutsTheDataFieldsAtTopLevelAndSyncsItsOwnRooms() throws Exception {
        String yaml = """
                hub:
                  endpoints:
                    - path: /ws/sessions/{sessionId}
                      transport: websocket
                      rooms: [ "session:{sessionId}" ]
                      dialect:
                        envelope: flat
                        control-envelope: data
                        types: { state: dashboard.state }
                        sync: { verb: request.state }
                        join: { verb: watch, field: session, room: "session:{value}" }
                """;
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of())) {
            assertEquals(200, TestHub.send(java.net.http.HttpRequest.newBuilder(hub.http("/api/v1/rooms/session:abc/state"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"Trip\"}")).build()).statusCode());
            try (JsonWebSocket client = JsonWebSocket.connect(uri(hub, "/ws/sessions/abc"))) {
                JsonNode connected = client.next(WAIT);
                assertEquals("connected", connected.path("type").asText());
                assertTrue(connected.path("data").has("connectionId"), "control-envelope data keeps the canonical shape: " + connected);
                assertEquals("[\"session:abc\"]", connected.path("data").path("rooms").toString(), "connected lists the endpoint's rooms");

                client.send("{\"type\":\"request.state\"}");
                JsonNode state = client.nextOfType("dashboard.state", WAIT);
                assertEquals("session:abc", state.path("data").path("room").asText(), state.toString());
                assertEquals("Trip", state.path("data").path("state").path("name").asText(), state.toString());

                hub.publish("{\"room\":\"session:abc\",\"type\":\"dashboard.update\",\"meta\":{\"updateType\":\"cycle.created\"},"
                        + "\"data\":{\"cycleId\":\"c1\",\"type\":\"shadowed\",\"room\":\"shadowed\",\"updateType\":\"shadowed\"}}");
                JsonNode update = client.nextOfType("dashboard.update", WAIT);
                assertEquals("c1", update.path("cycleId").asText(), "data fields at top level: " + update);
                assertEquals("session:abc", update.path("room").asText(), "the envelope's fields win");
                assertEquals("cycle.created", update.path("updateType").asText(), "meta wins too");
                assertFalse(update.has("data"));
                assertFalse(update.has("ack"), "not critical");
                String raw = client.history().getLast().toString();
                assertEquals(raw.indexOf("\"room\""), raw.lastIndexOf("\"room\""), "no duplicate field: " + raw);

                hub.publish("{\"room\":\"session:abc\",\"type\":\"tick\",\"data\":5,\"critical\":true}");
                JsonNode tick = client.nextOfType("tick", WAIT);
                assertEquals(5, tick.path("data").asInt(), "a non-object stays under data: " + tick);
                assertTrue(tick.path("ack").asBoolean(), "critical events ask for an ack: " + tick);

                client.send("{\"type\":\"watch\",\"session\":\"xyz\"}");
                assertEquals("session:xyz", client.nextOfType("joined", WAIT).path("data").path("room").asText(),
                        "fields may sit at top level");
            }
        }
    }

    @Test
    void anAutoJoinedRoomThatIsFullRefusesTheConnectionWith503() throws Exception {
        String yaml = """
                hub:
                  limits:
                    per-room: 2
                  endpoints:
                    - path: /ws/projects/{projectId}
                      transport: websocket
                      rooms: [ "project:{projectId}" ]
                """;
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of())) {
            List<JsonWebSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    open.add(JsonWebSocket.connect(uri(hub, "/ws/projects/7")));
                    assertEquals("[\"project:7\"]", open.getLast().nextOfType("connected", WAIT).path("data").path("rooms").toString());
                    awaitRoomSize(hub, "project:7", i + 1);
                }
                RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                        () -> RawWebSocket.connect(uri(hub, "/ws/projects/7"), Map.of()));
                assertEquals(503, refused.status());
                JsonNode body = JsonWebSocket.json().readTree(refused.body());
                assertEquals("CONNECTION_LIMIT", body.path("code").asText());
                assertTrue(body.path("message").asText().contains("project:7"), body.toString());
                open.add(JsonWebSocket.connect(uri(hub, "/ws/projects/8")));
                awaitRoomSize(hub, "project:8", 1); // another project has room
                open.removeFirst().close();
                awaitRoomSize(hub, "project:7", 1);
                open.add(JsonWebSocket.connect(uri(hub, "/ws/projects/7")));
                awaitRoomSize(hub, "project:7", 2);
            } finally {
                open.forEach(JsonWebSocket::close);
            }
        }
    }

    /** SPEC 14: {@code limit-failure: close} — the third connection of a user with limit 2 is told why, then closed 4029. */
    @Test
    void limitFailureCloseAcceptsTellsCodeConnectionLimitAndCloses4029() throws Exception {
        String yaml = """
                hub:
                  auth:
                    jwks: '%s'
                  endpoints:
                    - path: /ws/board/{userId}
                      transport: websocket
                      rooms: [ "board:{userId}" ]
                      limit-failure: close
                      limits:
                        per-user: 2
                """.formatted(AuthTest.JWKS);
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of())) {
            String token = AuthTest.token("ann", "", Duration.ofMinutes(5));
            URI board = uri(hub, "/ws/board/ann?token=" + token);
            try (JsonWebSocket first = JsonWebSocket.connect(board); JsonWebSocket second = JsonWebSocket.connect(board)) {
                first.nextOfType("connected", WAIT);
                second.nextOfType("connected", WAIT);
                try (RawWebSocket third = RawWebSocket.connect(board, Map.of())) {
                    JsonNode error = JsonWebSocket.json().readTree(third.readText(WAIT));
                    assertEquals("error", error.path("type").asText(), error.toString());
                    assertEquals("CONNECTION_LIMIT", error.path("data").path("code").asText(), error.toString());
                    RawWebSocket.Frame close = third.awaitClose(WAIT);
                    assertEquals(4029, close.closeCode(), close.toString());
                }
                var published = hub.post("/api/v1/events", "{\"room\":\"board:ann\",\"type\":\"tick\",\"data\":1}",
                        Map.of("Authorization", "Bearer " + AuthTest.token("backend", "publisher", Duration.ofMinutes(5))));
                assertEquals(202, published.statusCode(), published.body());
                for (JsonWebSocket undisturbed : List.of(first, second)) {
                    assertEquals(1, undisturbed.nextOfType("tick", WAIT).path("data").asInt(), "the first two keep receiving");
                    assertFalse(undisturbed.closeCode().isDone(), "the first two stay open");
                }
            }
        }
    }

    @Test
    void onMalformedCloseEndsTheConnectionWith1008WhileTheDefaultOnlyAnswers() throws Exception {
        String yaml = """
                hub:
                  endpoints:
                    - path: /ws/strict
                      transport: websocket
                      on-malformed: close
                      dialect:
                        errors: { MESSAGE_INVALID: BAD_MESSAGE }
                    - path: /ws/lenient
                      transport: websocket
                """;
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of())) {
            try (JsonWebSocket strict = JsonWebSocket.connect(uri(hub, "/ws/strict"))) {
                strict.nextOfType("connected", WAIT);
                strict.send("this is not json");
                assertEquals("BAD_MESSAGE", strict.nextOfType("error", WAIT).path("data").path("code").asText());
                assertEquals(1008, strict.nextOfType("disconnect", WAIT).path("data").path("code").asInt());
                assertEquals(1008, strict.closeCode().get(5, TimeUnit.SECONDS));
            }
            try (JsonWebSocket lenient = JsonWebSocket.connect(uri(hub, "/ws/lenient"))) {
                lenient.nextOfType("connected", WAIT);
                lenient.send("{\"type\":\"dance\"}");
                assertEquals("MESSAGE_INVALID", lenient.nextOfType("error", WAIT).path("data").path("code").asText());
                lenient.send("{\"type\":\"ping\"}");
                lenient.nextOfType("pong", WAIT);
                assertFalse(lenient.closeCode().isDone());
            }
        }
    }

    @Test
    void statsIntervalPushesStatsToTheEndpointsClientsOnly() throws Exception {
        String yaml = """
                hub:
                  endpoints:
                    - path: /ws/ops
                      transport: websocket
                      stats-interval: 200ms
                      dialect:
                        envelope: payload
                """;
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of());
             JsonWebSocket ops = JsonWebSocket.connect(uri(hub, "/ws/ops"));
             JsonWebSocket plain = JsonWebSocket.connect(hub.ws())) {
            plain.nextOfType("connected", WAIT);
            JsonNode stats = ops.nextOfType("stats_update", WAIT);
            for (int i = 0; i < 20 && stats.path("payload").path("connections").path("total").asInt() < 2; i++) {
                stats = ops.nextOfType("stats_update", WAIT); // pushed every 200 ms, so soon one counts both clients
            }
            assertEquals(2, stats.path("payload").path("connections").path("total").asInt(), stats.toString());
            assertEquals(1, stats.path("payload").path("connections").path("byEndpoint").path("/ws/ops").asInt());
            Thread.sleep(300);
            assertTrue(plain.history().stream().noneMatch(m -> m.path("type").asText().equals("stats_update")),
                    "the canonical endpoint gets stats only in $stats: " + plain.history());
        }
    }

    @Test
    void originsOfAnEndpointAreItsOwn() throws Exception {
        String yaml = """
                hub:
                  websocket:
                    origins: [ "https://main.example.com" ]
                  endpoints:
                    - path: /ws/widget
                      transport: websocket
                      origins: [ "https://widget.example.com" ]
                    - path: /ws/inherits
                      transport: websocket
                """;
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of())) {
            assertEquals(403, assertThrows(RawWebSocket.HandshakeRefused.class, () -> RawWebSocket.connect(uri(hub, "/ws/widget"),
                    Map.of("Origin", "https://main.example.com"))).status());
            assertEquals(403, assertThrows(RawWebSocket.HandshakeRefused.class, () -> RawWebSocket.connect(uri(hub, "/ws/inherits"),
                    Map.of("Origin", "https://widget.example.com"))).status(), "the default is hub.websocket.origins");
            try (RawWebSocket widget = RawWebSocket.connect(uri(hub, "/ws/widget"), Map.of("Origin", "https://widget.example.com"));
                 RawWebSocket inherits = RawWebSocket.connect(uri(hub, "/ws/inherits"), Map.of("Origin", "https://main.example.com"))) {
                assertEquals("connected", JsonWebSocket.json().readTree(widget.readText(WAIT)).path("type").asText());
                assertEquals("connected", JsonWebSocket.json().readTree(inherits.readText(WAIT)).path("type").asText());
            }
        }
    }

    @Test
    void criticalEventsCarryAckOnTheCanonicalEndpointToo() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.nextOfType("connected", WAIT);
            client.join("orders:1");
            client.nextOfType("joined", WAIT);
            hub.publish("[{\"room\":\"orders:1\",\"type\":\"paid\",\"data\":{},\"critical\":true},"
                    + "{\"room\":\"orders:1\",\"type\":\"viewed\",\"data\":{}}]");
            List<JsonNode> events = client.nextEvents(2, WAIT);
            assertTrue(events.get(0).path("ack").asBoolean(), events.toString());
            assertFalse(events.get(1).has("ack"), events.toString());
            assertTrue(events.get(0).has("data"));
        }
    }

    /** The example of the agreed syntax (design section 1), as profiles write it, starts and greets. */
    @Test
    void theAgreedExampleStarts() throws Exception {
        String yaml = """
                hub:
                  auth:
                    jwks: '%s'
                  endpoints:
                    - path: /ws/dashboard/{userId}
                      transport: websocket
                      auth: required
                      auth-failure: close
                      rooms: [ "user:{userId}" ]
                      bind: { userId: sub }
                      origins: [ "https://app.example.com" ]
                      stats-interval: 5s
                      on-malformed: error
                      dialect:
                        envelope: payload
                        control-envelope: payload
                        types:
                          connected: connection_success
                        connected:
                          userId: "{userId|number}"
                          message: "Successfully connected to dashboard updates"
                        join:  { verb: subscribe_dashboard,   field: userId, room: "user:{value}" }
                        leave: { verb: unsubscribe_dashboard, field: userId, room: "user:{value}" }
                        sync:  { verb: request.state }
                        errors: { FORBIDDEN: SUBSCRIPTION_FAILED }
                """.formatted(AuthTest.JWKS);
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of());
             JsonWebSocket client = JsonWebSocket.connect(uri(hub, "/ws/dashboard/1?token=" + token("1")),
                     Map.of("Origin", "https://app.example.com"))) {
            JsonNode hello = client.next(WAIT);
            assertEquals("connection_success", hello.path("type").asText());
            assertEquals(1, hello.path("payload").path("userId").asInt());
            client.send("{\"type\":\"request.state\"}");
            assertEquals("user:1", client.nextOfType("state", WAIT).path("payload").path("room").asText());
        }
    }

    @Test
    void badEndpointConfigurationFailsTheStartNamingTheKey() {
        String endpoint = "hub:\n  endpoints:\n    - path: /ws/p/{projectId}\n      transport: websocket\n";
        assertStartFails(endpoint + "      dialect:\n        colour: blue\n", "hub.endpoints.0.dialect.colour", "unknown config key");
        assertStartFails(endpoint + "      dialect:\n        envelope: xml\n", "hub.endpoints.0.dialect.envelope", "'xml'");
        assertStartFails(endpoint + "      rooms: [ \"project:{id}\" ]\n", "hub.endpoints.0.rooms", "{id}");
        assertStartFails(endpoint + "      dialect:\n        connected: { who: \"{user}\" }\n", "hub.endpoints.0.dialect.connected.who", "{user}");
        assertStartFails(endpoint + "      dialect:\n        join: { verb: sub, room: \"p:{value}\" }\n", "hub.endpoints.0.dialect.join.room",
                "{value}");
        assertStartFails(endpoint + "      dialect:\n        join: { field: x }\n", "hub.endpoints.0.dialect.join.verb", "verb");
        assertStartFails(endpoint + "      dialect:\n        types: { welcome: hi }\n", "hub.endpoints.0.dialect.types.welcome", "message types");
        assertStartFails(endpoint + "      dialect:\n        errors: { NOPE: X }\n", "hub.endpoints.0.dialect.errors.NOPE", "error code");
        assertStartFails(endpoint + "      on-malformed: explode\n", "hub.endpoints.0.on-malformed", "'explode'");
        assertStartFails(endpoint + "      stats-interval: soon\n", "hub.endpoints.0.stats-interval", "'soon'");
        assertStartFails(endpoint + "      close-style: sideways\n", "hub.endpoints.0.close-style", "'sideways' is not one of clean, abrupt");
        assertStartFails(endpoint + "      require-origin: maybe\n", "hub.endpoints.0.require-origin", "'maybe'");
        assertStartFails(endpoint + "      dialect:\n        acks: sometimes\n", "hub.endpoints.0.dialect.acks", "'sometimes'");
        assertStartFails(endpoint + "      dialect:\n        connection-status: \"has space\"\n", "hub.endpoints.0.dialect.connection-status",
                "has space");
        assertStartFails("hub:\n  endpoints:\n    - path: /e/{id}\n      transport: sse\n      rooms: [ \"p:{id}\" ]\n"
                + "      close-style: abrupt\n", "hub.endpoints.0.close-style", "only WebSocket endpoints");
        assertStartFails(endpoint + "      bind: { id: sub }\n", "hub.endpoints.0.bind", "{id}");
        assertStartFails("hub:\n  endpoints:\n    - path: /ws\n      transport: websocket\n", "hub.endpoints.0.path", "already served");
        assertStartFails("hub:\n  endpoints:\n    - path: /x\n      transport: carrier-pigeon\n", "hub.endpoints.0.transport",
                "carrier-pigeon");
        assertStartFails("hub:\n  endpoints:\n    - path: /e/{id}\n      transport: sse\n      rooms: [ \"p:{id}\" ]\n"
                + "      on-malformed: close\n", "hub.endpoints.0.on-malformed", "only WebSocket endpoints");
    }

    private static void assertStartFails(String yaml, String key, String detail) {
        StartupException failure = assertThrows(StartupException.class, () -> TestHub.startWithYaml(yaml, Map.of()).close(), yaml);
        assertTrue(failure.getMessage().contains(key) && failure.getMessage().contains(detail),
                "expected " + key + " and " + detail + " in: " + failure.getMessage());
    }

    private static void awaitRoomSize(TestHub hub, String room, int size) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode rooms = JsonWebSocket.json().readTree(hub.get("/api/v1/admin/rooms").body());
            for (JsonNode r : rooms.path("rooms")) {
                if (r.path("room").asText().equals(room) && r.path("subscribers").asInt() == size) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(room + " never had " + size + " subscribers");
    }

    /** With a JWK set, publishers need a token with role publisher. */
    private static void publishAsBackend(TestHub hub, String event) {
        var answer = hub.post("/api/v1/events", event, Map.of("Authorization", "Bearer " + AuthTest.token("backend", "publisher",
                Duration.ofMinutes(5))));
        assertEquals(202, answer.statusCode(), answer.body());
    }

    private static String token(String sub) {
        return AuthTest.token(sub, "", Duration.ofMinutes(5));
    }

    private static URI uri(TestHub hub, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + hub.port() + pathAndQuery);
    }
}

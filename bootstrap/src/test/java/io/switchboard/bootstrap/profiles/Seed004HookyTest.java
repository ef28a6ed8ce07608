package io.switchboard.bootstrap.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.TestHub;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.switchboard.bootstrap.profiles.SeedHub.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 004 (webhook catcher) against {@code --profile hooky}, over the canonical {@code /ws}. The same
 * scenarios in Socket.IO's own words run with the real socket.io-client in tests/node/seed004-socketio.test.mjs.
 */
class Seed004HookyTest {
    private static final String SEED = "004_1ea432bdbaa3fb1a.txt — ";
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithProfile("hooky", Map.of());
        for (String webhook : List.of("abc-123", "xyz-789")) {
            assertTrue(SeedHub.put(hub, "/api/v1/rooms/webhook:" + webhook, Map.of()).statusCode() / 100 == 2);
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    @DisplayName(SEED + "Client connects to WebSocket")
    void clientConnectsToWebSocket() throws Exception {
        try (JsonWebSocket first = JsonWebSocket.connect(hub.ws()); JsonWebSocket second = JsonWebSocket.connect(hub.ws())) {
            String a = first.nextOfType("connected", WAIT).path("data").path("connectionId").asText();
            String b = second.nextOfType("connected", WAIT).path("data").path("connectionId").asText();
            assertTrue(a.length() >= 16, "an unguessable id: " + a);
            assertNotEquals(a, b, "unique per connection");
        }
    }

    @Test
    @DisplayName(SEED + "Connection with invalid protocol")
    void connectionWithInvalidProtocol() throws Exception {
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(hub.ws(), Map.of("Sec-WebSocket-Protocol", "mqtt")));
        assertEquals(400, refused.status());
        JsonNode body = SeedHub.json(refused.body());
        assertEquals("MESSAGE_INVALID", body.path("code").asText(), body.toString());
        assertTrue(body.path("message").asText().contains("Sec-WebSocket-Protocol"), body.toString());
    }

    @Test
    @DisplayName(SEED + "Join valid webhook room")
    void joinValidWebhookRoom() throws Exception {
        try (JsonWebSocket client = connected()) {
            client.join("webhook:abc-123");
            JsonNode joined = client.nextOfType("joined", WAIT);
            assertEquals("webhook:abc-123", joined.path("data").path("room").asText());
        }
    }

    @Test
    @DisplayName(SEED + "Join room for non-existent webhook")
    void joinRoomForNonExistentWebhook() throws Exception {
        try (JsonWebSocket client = connected()) {
            client.join("webhook:does-not-exist");
            JsonNode error = client.nextOfType("error", WAIT).path("data");
            assertEquals("Webhook not found", error.path("message").asText());
            assertEquals("ROOM_NOT_FOUND", error.path("code").asText());
            assertFalse(client.closeCode().isDone(), "the connection stays open");
        }
    }

    @Test
    @DisplayName(SEED + "Leave webhook room")
    void leaveWebhookRoom() throws Exception {
        try (JsonWebSocket client = joined("webhook:abc-123")) {
            client.leave("webhook:abc-123");
            assertEquals("webhook:abc-123", client.nextOfType("left", WAIT).path("data").path("room").asText());
            capture("abc-123", "{\"after\":\"leave\"}");
            client.send("{\"type\":\"ping\",\"data\":\"after-leave\"}");
            JsonNode next = client.next(WAIT);
            assertEquals("pong", next.path("type").asText(), "nothing from the room it left: " + next);
        }
    }

    @Test
    @DisplayName(SEED + "New request broadcast")
    void newRequestBroadcast() throws Exception {
        try (JsonWebSocket client = joined("webhook:abc-123")) {
            String id = capture("abc-123", "{\"order\":1}");
            JsonNode event = client.nextOfType("new-request", WAIT);
            assertEquals("webhook:abc-123", event.path("room").asText());
            assertEquals(id, event.path("data").path("id").asText());
            assertEquals("{\"order\":1}", event.path("data").path("body").asText(), "the complete request");
        }
    }

    @Test
    @DisplayName(SEED + "Broadcast to multiple clients")
    void broadcastToMultipleClients() throws Exception {
        List<JsonWebSocket> three = List.of(joined("webhook:abc-123"), joined("webhook:abc-123"), joined("webhook:abc-123"));
        try {
            String id = capture("abc-123", "{}");
            for (JsonWebSocket client : three) {
                assertEquals(id, client.nextOfType("new-request", WAIT).path("data").path("id").asText());
            }
        } finally {
            three.forEach(JsonWebSocket::close);
        }
    }

    @Test
    @DisplayName(SEED + "No broadcast to other rooms")
    void noBroadcastToOtherRooms() throws Exception {
        try (JsonWebSocket a = joined("webhook:abc-123"); JsonWebSocket b = joined("webhook:xyz-789")) {
            capture("abc-123", "{\"for\":\"a\"}");
            assertEquals("{\"for\":\"a\"}", a.nextOfType("new-request", WAIT).path("data").path("body").asText());
            b.send("{\"type\":\"ping\",\"data\":\"b\"}");
            JsonNode next = b.next(WAIT);
            assertEquals("pong", next.path("type").asText(), "client B got nothing first: " + next);
        }
    }

    @Test
    @DisplayName(SEED + "Client disconnects")
    void clientDisconnects() throws Exception {
        try (TestHub own = TestHub.startWithProfile("hooky", Map.of())) {
            SeedHub.put(own, "/api/v1/rooms/webhook:abc-123", Map.of());
            SeedHub.put(own, "/api/v1/rooms/webhook:xyz-789", Map.of());
            JsonWebSocket client = JsonWebSocket.connect(own.ws());
            client.nextOfType("connected", WAIT);
            for (String room : List.of("webhook:abc-123", "webhook:xyz-789")) {
                client.join(room);
                client.nextOfType("joined", WAIT);
            }
            assertEquals(2, SeedHub.stats(own).path("rooms").path("active").asInt());
            client.close();
            SeedHub.awaitConnections(own, 0);
            assertEquals(0, SeedHub.stats(own).path("rooms").path("active").asInt(), "removed from all rooms");
        }
    }

    @Test
    @DisplayName(SEED + "Server-initiated disconnect")
    void serverInitiatedDisconnect() throws Exception {
        TestHub own = TestHub.startWithProfile("hooky", Map.of("hub.shutdown-grace", "3s"));
        try (JsonWebSocket client = JsonWebSocket.connect(own.ws())) {
            client.nextOfType("connected", WAIT);
            CompletableFuture.runAsync(own::close);
            JsonNode disconnect = client.nextOfType("disconnect", WAIT).path("data");
            assertFalse(disconnect.path("reason").asText().isEmpty(), "with a reason: " + disconnect);
            assertTrue(disconnect.path("reconnect").asBoolean(false), disconnect.toString());
            assertEquals(1001, client.closeCode().get(5, TimeUnit.SECONDS), "then a graceful close");
        }
    }

    /** The backoff itself is the client's (tests/node/client-backoff.test.mjs); the hub takes the client back when it is up again. */
    @Test
    @DisplayName(SEED + "Server temporarily unavailable")
    void serverTemporarilyUnavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        TestHub first = TestHub.startWithProfile("hooky", Map.of("server.port", String.valueOf(port), "hub.shutdown-grace", "2s"));
        try (JsonWebSocket client = JsonWebSocket.connect(first.ws())) {
            client.nextOfType("connected", WAIT);
            first.close();
            client.closeCode().get(5, TimeUnit.SECONDS);
        }
        assertThrows(java.io.IOException.class, () -> JsonWebSocket.connect(first.ws()), "down while restarting");
        try (TestHub second = TestHub.startWithProfile("hooky", Map.of("server.port", String.valueOf(port)));
             JsonWebSocket again = JsonWebSocket.connect(second.ws())) {
            assertEquals("connected", again.nextOfType("connected", WAIT).path("type").asText(), "reconnects once the server is back");
        }
    }

    /** Rejoining is the client's (tests/node/client-resume.test.mjs); the hub gives it both rooms back from where it was. */
    @Test
    @DisplayName(SEED + "Rejoin rooms after reconnect")
    void rejoinRoomsAfterReconnect() throws Exception {
        String lastAbc;
        String lastXyz;
        try (JsonWebSocket before = joined("webhook:abc-123")) {
            before.join("webhook:xyz-789");
            before.nextOfType("joined", WAIT);
            capture("abc-123", "1");
            capture("xyz-789", "2");
            lastAbc = before.nextOfType("new-request", WAIT).path("id").asText();
            lastXyz = before.nextOfType("new-request", WAIT).path("id").asText();
        }
        String missedAbc = capture("abc-123", "missed");
        try (JsonWebSocket after = connected()) {
            after.join("webhook:abc-123", lastAbc);
            after.join("webhook:xyz-789", lastXyz);
            Set<String> rooms = new HashSet<>();
            rooms.add(after.nextOfType("joined", WAIT).path("data").path("room").asText());
            JsonNode missed = after.nextOfType("new-request", WAIT);
            rooms.add(after.nextOfType("joined", WAIT).path("data").path("room").asText());
            assertEquals(Set.of("webhook:abc-123", "webhook:xyz-789"), rooms);
            assertEquals(missedAbc, missed.path("data").path("id").asText(), "what it missed while away");
        }
    }

    @Test
    @DisplayName(SEED + "Connection established")
    void connectionEstablished() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            JsonNode first = client.next(WAIT);
            assertEquals("connected", first.path("type").asText(), "the first message");
            assertFalse(first.path("data").path("connectionId").asText().isEmpty(), first.toString());
        }
    }

    /** {@code connect_error} is the client's event (socket.io-client, clients/js); the hub gives it the details. */
    @Test
    @DisplayName(SEED + "Connection error")
    void connectionError() throws Exception {
        try (TestHub limited = TestHub.startWithProfile("hooky", Map.of("hub.limits.max-connections", "1"));
             JsonWebSocket only = JsonWebSocket.connect(limited.ws())) {
            only.nextOfType("connected", WAIT);
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(limited.ws(), Map.of()));
            assertEquals(503, refused.status());
            JsonNode details = SeedHub.json(refused.body());
            assertEquals("CONNECTION_LIMIT", details.path("code").asText());
            assertFalse(details.path("message").asText().isEmpty(), details.toString());
        }
    }

    @Test
    @DisplayName(SEED + "Multiple concurrent clients")
    void multipleConcurrentClients() throws Exception {
        int clients = 100;
        for (int i = 0; i < clients; i++) {
            SeedHub.put(hub, "/api/v1/rooms/webhook:c-" + i, Map.of());
        }
        List<JsonWebSocket> connected = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<JsonWebSocket>> attempts = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                attempts.add(pool.submit(() -> {
                    JsonWebSocket client = JsonWebSocket.connect(hub.ws());
                    client.nextOfType("connected", WAIT);
                    client.join("webhook:c-" + n);
                    client.nextOfType("joined", WAIT);
                    return client;
                }));
            }
            for (Future<JsonWebSocket> attempt : attempts) {
                connected.add(attempt.get(30, TimeUnit.SECONDS));
            }
            for (int i = 0; i < clients; i++) {
                capture("c-" + i, "{\"n\":" + i + "}");
            }
            for (int i = 0; i < clients; i++) {
                JsonNode event = connected.get(i).nextOfType("new-request", WAIT);
                assertEquals("{\"n\":" + i + "}", event.path("data").path("body").asText(), "client " + i + " only its own room");
            }
        } finally {
            connected.forEach(JsonWebSocket::close);
        }
    }

    @Test
    @DisplayName(SEED + "Broadcast payload format")
    void broadcastPayloadFormat() throws Exception {
        try (JsonWebSocket client = joined("webhook:abc-123")) {
            var response = TestHub.send(HttpRequest.newBuilder(hub.http("/hooks/abc-123?order=42"))
                    .header("Content-Type", "application/json").header("User-Agent", "shop-bot/1.0").header("X-Signature", "s1")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"paid\":true}")).build());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode data = client.nextOfType("new-request", WAIT).path("data");
            assertEquals(SeedHub.json(response.body()).path("id").asText(), data.path("id").asText());
            assertEquals("abc-123", data.path("webhookId").asText());
            assertEquals("PUT", data.path("method").asText());
            assertTrue(data.path("headers").isObject(), data.toString());
            assertTrue(data.path("headers").toString().contains("s1"), data.toString());
            assertEquals("42", data.path("queryParams").path("order").asText());
            assertEquals("{\"paid\":true}", data.path("body").asText());
            assertTrue(data.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), data.toString());
            assertEquals("127.0.0.1", data.path("sourceIp").asText());
            assertEquals("shop-bot/1.0", data.path("userAgent").asText());

            TestHub.send(HttpRequest.newBuilder(hub.http("/hooks/abc-123")).GET().build());
            JsonNode bare = client.nextOfType("new-request", WAIT).path("data");
            assertTrue(bare.path("body").isNull(), "no body: null " + bare);
            assertTrue(bare.has("userAgent"), "userAgent present (string or null) " + bare);
        }
    }

    private static JsonWebSocket connected() throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws());
        client.nextOfType("connected", WAIT);
        return client;
    }

    private static JsonWebSocket joined(String room) throws Exception {
        JsonWebSocket client = connected();
        client.join(room);
        client.nextOfType("joined", WAIT);
        return client;
    }

    /** A request to the webhook; answers the captured request's id. */
    private static String capture(String webhook, String body) {
        var response = hub.post("/hooks/" + webhook, body, Map.of());
        assertEquals(200, response.statusCode(), response.body());
        return SeedHub.json(response.body()).path("id").asText();
    }
}

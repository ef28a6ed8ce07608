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

/** Seed 002 (per-user task dashboard) against {@code --profile task-dashboard}: one test per statement of its contract. */
class Seed002TaskDashboardTest {
    private static final String SEED = "002_05034de425ff7d5a.txt — ";
    private static final Map<String, String> PUBLISHER = Map.of("Authorization", DevTokens.publisherBearer());
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithProfile("task-dashboard", Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    @DisplayName(SEED + "Connection Endpoint: ws://localhost:8000/ws/dashboard/{userId}?token={jwt_token}")
    void connectionEndpoint() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(dashboard("1", DevTokens.of("1")))) {
            assertEquals("connection_success", client.next(WAIT).path("type").asText());
        }
    }

    @Test
    @DisplayName(SEED + "Connection Process: token validated, connection accepted, client added to the user's subscription list, confirmation sent")
    void connectionProcess() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            publish("user:1", "task_update", "{\"taskId\":1,\"action\":\"created\"}", null, false);
            assertEquals(1, client.nextOfType("task_update", WAIT).path("payload").path("taskId").asInt(), "subscribed without asking");
        }
        try (RawWebSocket forged = RawWebSocket.connect(dashboard("1", DevTokens.of("1").replaceAll(".{6}$", "AAAAAA")), Map.of())) {
            JsonNode error = SeedHub.json(forged.readText(WAIT));
            assertEquals("AUTH_INVALID", error.path("payload").path("code").asText(), error.toString());
            assertEquals(4001, forged.awaitClose(WAIT).closeCode());
        }
    }

    @Test
    @DisplayName(SEED + "Connection Confirmation Message: connection_success {userId, message}")
    void connectionConfirmationMessage() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(dashboard("1", DevTokens.of("1")))) {
            JsonNode success = client.next(WAIT);
            assertEquals("connection_success", success.path("type").asText());
            assertTrue(success.path("payload").path("userId").isNumber(), "userId: 1 as a number: " + success);
            assertEquals(1, success.path("payload").path("userId").asInt());
            assertEquals("Successfully connected to dashboard updates", success.path("payload").path("message").asText());
            assertTrue(success.path("timestamp").asText().endsWith("Z"), success.toString());
        }
    }

    @Test
    @DisplayName(SEED + "Message Format: {type, payload, timestamp}")
    void messageFormat() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            publish("user:1", "task_update", "{\"taskId\":2,\"action\":\"updated\"}", null, false);
            JsonNode message = client.nextOfType("task_update", WAIT);
            assertTrue(message.path("payload").isObject() && !message.has("data"), message.toString());
            assertTrue(message.path("timestamp").asText().endsWith("Z"), message.toString());
        }
    }

    @Test
    @DisplayName(SEED + "Server-to-Client 1. Dashboard Statistics Update: dashboard_update")
    void dashboardStatisticsUpdate() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            publish("user:1", "dashboard_update", "{\"totalTasks\":15,\"completedTasks\":8,\"pendingTasks\":7,\"updatedAt\":\"2026-01-03T10:30:00Z\"}", "stats", false);
            JsonNode update = client.nextOfType("dashboard_update", Duration.ofSeconds(2)).path("payload");
            assertEquals(15, update.path("totalTasks").asInt());
            assertEquals(7, update.path("pendingTasks").asInt());
        }
    }

    @Test
    @DisplayName(SEED + "Server-to-Client 2. Task Update Notification: task_update")
    void taskUpdateNotification() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            publish("user:1", "task_update", "{\"taskId\":1,\"action\":\"deleted\",\"task\":{\"id\":1,\"title\":\"Updated Task\",\"status\":true,\"priority\":2}}", null, false);
            JsonNode task = client.nextOfType("task_update", WAIT).path("payload");
            assertEquals("deleted", task.path("action").asText());
            assertEquals("Updated Task", task.path("task").path("title").asText());
        }
    }

    @Test
    @DisplayName(SEED + "Server-to-Client 3. Error Message: AUTH_EXPIRED when authentication becomes invalid during connection")
    void errorMessageAuthExpired() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(dashboard("1", DevTokens.of("1", List.of(), List.of(), Duration.ofSeconds(2))))) {
            client.nextOfType("connection_success", WAIT);
            JsonNode error = client.nextOfType("error", Duration.ofSeconds(10));
            assertEquals("AUTH_EXPIRED", error.path("payload").path("code").asText(), error.toString());
            assertFalse(error.path("payload").path("message").asText().isEmpty());
            assertEquals(4001, client.closeCode().get(5, TimeUnit.SECONDS), "reconnect with a new token");
        }
    }

    /**
     * "Inform client of connection status changes", {status: connected | reconnecting | disconnected, message}: connected
     * after connection_success; when the hub ends the connection, reconnecting where the client should come back
     * (a restart: then 1001) and disconnected where not (kicked by an administrator: 4500). An application may
     * still publish its own connection_status to the user's room.
     */
    @Test
    @DisplayName(SEED + "Server-to-Client 4. Connection Status: connection_status")
    void connectionStatus() throws Exception {
        TestHub own = TestHub.startWithProfile("task-dashboard", Map.of());
        try (JsonWebSocket kicked = JsonWebSocket.connect(SeedHub.ws(own, "/ws/dashboard/1?token=" + DevTokens.of("1")));
             JsonWebSocket restarted = JsonWebSocket.connect(SeedHub.ws(own, "/ws/dashboard/2?token=" + DevTokens.of("2")))) {
            for (JsonWebSocket client : List.of(kicked, restarted)) {
                assertEquals("connection_success", client.next(WAIT).path("type").asText());
                JsonNode connected = client.next(WAIT);
                assertEquals("connection_status", connected.path("type").asText(), connected.toString());
                assertEquals("connected", connected.path("payload").path("status").asText(), connected.toString());
                assertEquals("Connection established successfully", connected.path("payload").path("message").asText());
                assertTrue(connected.path("timestamp").asText().endsWith("Z"), connected.toString());
            }
            SeedHub.publish(own, "{\"room\":\"user:1\",\"type\":\"connection_status\",\"data\":{\"status\":\"reconnecting\",\"message\":\"Backend restarting\"}}", PUBLISHER);
            assertEquals("Backend restarting", kicked.nextOfType("connection_status", WAIT).path("payload").path("message").asText(),
                    "an application's own connection_status reaches the user as any event");

            String admin = "Bearer " + DevTokens.of("root", List.of("admin"), List.of(), Duration.ofMinutes(5));
            JsonNode list = SeedHub.json(TestHub.send(java.net.http.HttpRequest.newBuilder(own.http("/api/v1/admin/connections"))
                    .header("Authorization", admin).GET().build()).body());
            String id = null;
            for (JsonNode c : list.path("connections")) {
                if ("1".equals(c.path("userId").asText())) {
                    id = c.path("connectionId").asText();
                }
            }
            assertEquals(202, TestHub.send(java.net.http.HttpRequest.newBuilder(own.http("/api/v1/admin/connections/" + id))
                    .header("Authorization", admin).DELETE().build()).statusCode());
            JsonNode gone = kicked.nextOfType("connection_status", WAIT);
            assertEquals("disconnected", gone.path("payload").path("status").asText(), gone.toString());
            assertFalse(gone.path("payload").path("message").asText().isEmpty(), gone.toString());
            assertEquals(4500, kicked.closeCode().get(5, TimeUnit.SECONDS), "do not reconnect");

            own.close();
            JsonNode restarting = restarted.nextOfType("connection_status", WAIT);
            assertEquals("reconnecting", restarting.path("payload").path("status").asText(), restarting.toString());
            assertEquals(1001, restarted.closeCode().get(5, TimeUnit.SECONDS));
            assertFalse(restarted.history().stream().anyMatch(m -> m.path("type").asText().equals("disconnect")),
                    "the dialect's disconnect notice is connection_status: " + restarted.history());
        } finally {
            own.close();
        }
    }

    @Test
    @DisplayName(SEED + "Client-to-Server 1. Subscribe to Dashboard Updates: subscribe_dashboard {userId}")
    void subscribeToDashboardUpdates() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            client.send("{\"type\":\"unsubscribe_dashboard\",\"payload\":{\"userId\":1}}");
            client.nextOfType("left", WAIT);
            client.send("{\"type\":\"subscribe_dashboard\",\"payload\":{\"userId\":1},\"timestamp\":\"2026-01-03T10:30:00Z\"}");
            JsonNode confirmed = client.nextOfType("joined", WAIT);
            assertEquals("user:1", confirmed.path("payload").path("room").asText(), "server confirms subscription: " + confirmed);
            publish("user:1", "task_update", "{\"taskId\":3}", null, false);
            assertEquals(3, client.nextOfType("task_update", WAIT).path("payload").path("taskId").asInt(), "and begins sending updates");
        }
    }

    @Test
    @DisplayName(SEED + "Client-to-Server 2. Unsubscribe from Dashboard Updates: unsubscribe_dashboard {userId}")
    void unsubscribeFromDashboardUpdates() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            client.send("{\"type\":\"unsubscribe_dashboard\",\"payload\":{\"userId\":1}}");
            assertEquals("user:1", client.nextOfType("left", WAIT).path("payload").path("room").asText(), "confirms unsubscription");
            publish("user:1", "task_update", "{\"taskId\":4}", null, false);
            client.send("{\"type\":\"ping\",\"payload\":{}}");
            assertEquals("pong", client.next(WAIT).path("type").asText(), "and stops sending updates");
        }
    }

    @Test
    @DisplayName(SEED + "Client-to-Server 3./4. Ping/Pong for Connection Health")
    void pingPong() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            client.send("{\"type\":\"ping\",\"payload\":{\"timestamp\":\"2026-01-03T10:30:00Z\"}}");
            JsonNode pong = client.nextOfType("pong", WAIT);
            assertEquals("2026-01-03T10:30:00Z", pong.path("payload").path("timestamp").asText(), "same timestamp as the ping: " + pong);
            client.send("{\"type\":\"ping\",\"payload\":{}}");
            assertTrue(client.nextOfType("pong", WAIT).path("payload").isObject());
        }
    }

    @Test
    @DisplayName(SEED + "Error Codes: AUTH_INVALID, SUBSCRIPTION_FAILED, CONNECTION_LIMIT")
    void errorCodes() throws Exception {
        try (RawWebSocket noToken = RawWebSocket.connect(SeedHub.ws(hub, "/ws/dashboard/1"), Map.of())) {
            assertEquals("AUTH_INVALID", SeedHub.json(noToken.readText(WAIT)).path("payload").path("code").asText());
        }
        try (JsonWebSocket client = connected("1")) {
            client.send("{\"type\":\"subscribe_dashboard\",\"payload\":{\"userId\":2}}");
            assertEquals("SUBSCRIPTION_FAILED", client.nextOfType("error", WAIT).path("payload").path("code").asText());
        }
        List<RawWebSocket> five = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                five.add(RawWebSocket.connect(dashboard("7", DevTokens.of("7")), Map.of()));
            }
            try (RawWebSocket sixth = RawWebSocket.connect(dashboard("7", DevTokens.of("7")), Map.of())) {
                assertEquals("CONNECTION_LIMIT", SeedHub.json(sixth.readText(WAIT)).path("payload").path("code").asText(),
                        "a WebSocket error code the seed's frontend can read");
            }
        } finally {
            five.forEach(RawWebSocket::close);
        }
    }

    /** Backoff is the client's (tests/node/client-backoff.test.mjs: 1 s initial, 30 s cap); the hub accepts the reconnect at once. */
    @Test
    @DisplayName(SEED + "Reconnection Strategy: exponential backoff, 1 s initial, 30 s max, automatic")
    void reconnectionStrategy() throws Exception {
        connected("1").close();
        try (JsonWebSocket again = connected("1")) {
            assertFalse(again.closeCode().isDone());
        }
    }

    /** Runs with the profile's ack timeout (10 s), so it takes about 20 s. */
    @Test
    @DisplayName(SEED + "Message Acknowledgment: critical messages carry an id; the client acknowledges it")
    void messageAcknowledgment() throws Exception {
        try (TestHub own = TestHub.startWithProfile("task-dashboard", Map.of());
             JsonWebSocket client = JsonWebSocket.connect(SeedHub.ws(own, "/ws/dashboard/1?token=" + DevTokens.of("1")))) {
            client.nextOfType("connection_success", WAIT);
            SeedHub.publish(own, "{\"room\":\"user:1\",\"type\":\"task_update\",\"critical\":true,\"data\":{\"taskId\":9}}", PUBLISHER);
            JsonNode first = client.nextOfType("task_update", WAIT);
            assertTrue(first.path("ack").asBoolean(false), first.toString());
            String id = first.path("id").asText();
            assertFalse(id.isEmpty(), "a unique id: " + first);
            JsonNode again = client.nextOfType("task_update", Duration.ofSeconds(15));
            assertEquals(id, again.path("id").asText(), "re-sent, same id, until acknowledged");
            client.send("{\"type\":\"ack\",\"payload\":{\"id\":\"" + id + "\"}}");
            client.send("{\"type\":\"ping\",\"payload\":{}}");
            client.nextOfType("pong", WAIT);
            long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long resent = client.history().stream().filter(m -> m.path("type").asText().equals("task_update")).count();
            client.send("{\"type\":\"ping\",\"payload\":{}}");
            client.nextOfType("pong", WAIT);
            assertEquals(resent, client.history().stream().filter(m -> m.path("type").asText().equals("task_update")).count(), "no more after the ack");
        }
    }

    @Test
    @DisplayName(SEED + "Rate Limiting: 10 messages per second per connection; excess temporarily blocked")
    void rateLimiting() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            for (int i = 0; i < 15; i++) {
                client.send("{\"type\":\"ping\",\"payload\":{\"n\":" + i + "}}");
            }
            JsonNode limited = client.nextOfType("error", WAIT);
            assertEquals("RATE_LIMITED", limited.path("payload").path("code").asText(), limited.toString());
            Thread.sleep(1_100);
            client.send("{\"type\":\"ping\",\"payload\":{\"n\":\"later\"}}");
            JsonNode pong;
            do {
                pong = client.nextOfType("pong", WAIT);
            } while (!pong.path("payload").path("n").asText().equals("later"));
            assertFalse(client.closeCode().isDone(), "blocked only for a while");
        }
    }

    @Test
    @DisplayName(SEED + "Security Authentication: JWT validated on each connection, with user id and expiration")
    void authentication() throws Exception {
        try (RawWebSocket expired = RawWebSocket.connect(dashboard("1", DevTokens.of("1", List.of(), List.of(), Duration.ofSeconds(-120))), Map.of())) {
            assertEquals("AUTH_EXPIRED", SeedHub.json(expired.readText(WAIT)).path("payload").path("code").asText());
            assertEquals(4001, expired.awaitClose(WAIT).closeCode());
        }
    }

    @Test
    @DisplayName(SEED + "Security Authorization: only their own dashboard; userId checked against the authenticated user")
    void authorization() throws Exception {
        try (RawWebSocket other = RawWebSocket.connect(dashboard("2", DevTokens.of("1")), Map.of())) {
            JsonNode error = SeedHub.json(other.readText(WAIT));
            assertEquals("SUBSCRIPTION_FAILED", error.path("payload").path("code").asText(), error.toString());
            assertEquals(4003, other.awaitClose(WAIT).closeCode());
        }
        try (JsonWebSocket one = connected("1"); JsonWebSocket two = connected("2")) {
            one.send("{\"type\":\"join\",\"payload\":{\"room\":\"user:2\"}}");
            assertEquals("SUBSCRIPTION_FAILED", one.nextOfType("error", WAIT).path("payload").path("code").asText(), "cross-user access prevented");
            publish("user:2", "task_update", "{\"taskId\":22}", null, false);
            assertEquals(22, two.nextOfType("task_update", WAIT).path("payload").path("taskId").asInt());
        }
    }

    @Test
    @DisplayName(SEED + "Security Message Validation: malformed messages result in connection termination")
    void malformedMessageTerminates() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(dashboard("1", DevTokens.of("1")), Map.of())) {
            client.readText(WAIT);
            client.sendText("{not json");
            assertEquals(1008, client.awaitClose(WAIT).closeCode());
        }
    }

    @Test
    @DisplayName(SEED + "Message Frequency: dashboard updates at most 1 per second per user")
    void messageFrequency() throws Exception {
        try (JsonWebSocket client = connected("1")) {
            for (int i = 0; i < 10; i++) {
                publish("user:1", "dashboard_update", "{\"totalTasks\":" + i + "}", "stats", false);
            }
            List<Integer> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    seen.add(client.nextOfType("dashboard_update", Duration.ofMillis(250)).path("payload").path("totalTasks").asInt());
                } catch (AssertionError quiet) {
                    // nothing in this slice
                }
            }
            assertTrue(seen.size() <= 3 && !seen.isEmpty(), "at most one per second: " + seen);
            assertEquals(9, seen.getLast(), "the latest wins");
        }
    }

    @Test
    @DisplayName(SEED + "Connection Limits: maximum 5 concurrent connections per user")
    void maximumFiveConnectionsPerUser() throws Exception {
        List<JsonWebSocket> five = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                five.add(connected("5"));
            }
            try (RawWebSocket sixth = RawWebSocket.connect(dashboard("5", DevTokens.of("5")), Map.of())) {
                JsonNode error = SeedHub.json(sixth.readText(WAIT));
                assertEquals("error", error.path("type").asText(), error.toString());
                assertEquals("CONNECTION_LIMIT", error.path("payload").path("code").asText(), error.toString());
                assertEquals(4029, sixth.awaitClose(WAIT).closeCode(), "closed with 4029: reconnect with backoff");
            }
            for (JsonWebSocket open : five) {
                open.send("{\"type\":\"ping\"}");
                assertEquals("pong", open.nextOfType("pong", WAIT).path("type").asText(), "the first five are undisturbed");
            }
            five.removeFirst().close();
            SeedHub.awaitConnections(hub, 4);
            five.add(connected("5"));
        } finally {
            five.forEach(JsonWebSocket::close);
        }
    }

    /** Idle timeout lowered to 1 s for the test (the profile: 10 min). */
    @Test
    @DisplayName(SEED + "Connection Limits: inactive connections are closed after 10 minutes of inactivity")
    void inactiveConnectionsClosed() throws Exception {
        try (TestHub fast = TestHub.startWithProfile("task-dashboard", Map.of("hub.connection.idle-timeout", "1s"));
             JsonWebSocket idle = JsonWebSocket.connect(SeedHub.ws(fast, "/ws/dashboard/1?token=" + DevTokens.of("1")));
             JsonWebSocket busy = JsonWebSocket.connect(SeedHub.ws(fast, "/ws/dashboard/2?token=" + DevTokens.of("2")))) {
            idle.nextOfType("connection_success", WAIT);
            busy.nextOfType("connection_success", WAIT);
            for (int i = 0; i < 8; i++) {
                busy.send("{\"type\":\"ping\",\"payload\":{}}");
                Thread.sleep(250);
            }
            idle.closeCode().get(5, TimeUnit.SECONDS);   // the silent one is closed
            assertFalse(busy.closeCode().isDone(), "the active one stays");
        }
    }

    // ---- helpers ----

    private static URI dashboard(String userId, String token) {
        return SeedHub.ws(hub, "/ws/dashboard/" + userId + "?token=" + token);
    }

    private static JsonWebSocket connected(String userId) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(dashboard(userId, DevTokens.of(userId)));
        client.nextOfType("connection_success", WAIT);
        return client;
    }

    private static void publish(String room, String type, String data, String key, boolean critical) {
        SeedHub.publish(hub, "{\"room\":\"" + room + "\",\"type\":\"" + type + "\",\"data\":" + data
                + (key == null ? "" : ",\"key\":\"" + key + "\"") + (critical ? ",\"critical\":true" : "") + "}", PUBLISHER);
    }
}

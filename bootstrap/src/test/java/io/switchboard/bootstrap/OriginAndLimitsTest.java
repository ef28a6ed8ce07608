package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Origin allow-lists and connection limits, decided before the 101 (or 4009 for the evicted). */
class OriginAndLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void onlyExactlyListedOriginsMayConnect() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.websocket.origins", "https://app.example.com"))) {
            for (String origin : List.of("null", "https://app.example.com.evil.com", "http://app.example.com",
                    "https://app.example.com:8443")) {
                RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                        () -> RawWebSocket.connect(hub.ws(), Map.of("Origin", origin)), origin);
                assertEquals(403, refused.status(), origin);
                assertEquals("FORBIDDEN", JsonWebSocket.json().readTree(refused.body()).path("code").asText(), origin);
            }
            try (RawWebSocket allowed = RawWebSocket.connect(hub.ws(), Map.of("Origin", "https://app.example.com"));
                 RawWebSocket noOrigin = RawWebSocket.connect(hub.ws(), Map.of())) {
                assertEquals("connected", JsonWebSocket.json().readTree(allowed.readText(WAIT)).path("type").asText());
                assertEquals("connected", JsonWebSocket.json().readTree(noOrigin.readText(WAIT)).path("type").asText());
            }
        }
    }

    @Test
    void theEleventhConnectionFromOneAddressIsRefusedWith503() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.limits.per-ip", "10"))) {
            List<RawWebSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    open.add(RawWebSocket.connect(hub.ws(), Map.of()));
                }
                RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                        () -> RawWebSocket.connect(hub.ws(), Map.of()));
                assertEquals(503, refused.status());
                JsonNode body = JsonWebSocket.json().readTree(refused.body());
                assertEquals("CONNECTION_LIMIT", body.path("code").asText());
                open.removeFirst().close();
                awaitConnections(hub, 9);
                open.add(RawWebSocket.connect(hub.ws(), Map.of()));
            } finally {
                open.forEach(RawWebSocket::close);
            }
        }
    }

    @Test
    void fiftyConcurrentConnectsAgainstALimitOfTenLetExactlyTenIn() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.limits.per-ip", "10"));
             ExecutorService pool = Executors.newFixedThreadPool(50)) {
            List<Future<RawWebSocket>> attempts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Callable<RawWebSocket> connect = () -> {
                    try {
                        return RawWebSocket.connect(hub.ws(), Map.of());
                    } catch (RawWebSocket.HandshakeRefused e) {
                        assertEquals(503, e.status());
                        return null;
                    }
                };
                attempts.add(pool.submit(connect));
            }
            List<RawWebSocket> admitted = new ArrayList<>();
            for (Future<RawWebSocket> attempt : attempts) {
                RawWebSocket socket = attempt.get();
                if (socket != null) {
                    admitted.add(socket);
                }
            }
            try {
                assertEquals(10, admitted.size(), "exactly the limit got in");
                assertEquals(10, stats(hub).path("connections").path("total").asInt());
            } finally {
                admitted.forEach(RawWebSocket::close);
            }
        }
    }

    @Test
    void aUsersSixthConnectionEvictsTheOldestWith4009OrIsRefused() throws Exception {
        String token = AuthTest.token("alice", "", Duration.ofMinutes(5));
        Map<String, String> config = new HashMap<>(Map.of("hub.auth.jwks", AuthTest.JWKS, "hub.limits.per-user", "5",
                "hub.limits.policy", "evict-oldest"));
        try (TestHub hub = TestHub.start(config)) {
            List<JsonWebSocket> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(JsonWebSocket.connect(hub.ws("?token=" + token)));
                clients.getLast().nextOfType("connected", WAIT);
            }
            JsonWebSocket sixth = JsonWebSocket.connect(hub.ws("?token=" + token));
            assertEquals("alice", sixth.nextOfType("connected", WAIT).path("data").path("userId").asText());
            JsonNode disconnect = clients.getFirst().nextOfType("disconnect", WAIT).path("data");
            assertEquals(4009, disconnect.path("code").asInt());
            assertEquals(4009, clients.getFirst().closeCode().get(5, java.util.concurrent.TimeUnit.SECONDS));
            awaitConnections(hub, 5);
            for (int i = 1; i < 5; i++) {
                assertTrue(!clients.get(i).closeCode().isDone(), "only the oldest is evicted");
            }
            clients.forEach(JsonWebSocket::close);
            sixth.close();
        }
        config.put("hub.limits.policy", "reject");
        try (TestHub hub = TestHub.start(config)) {
            List<RawWebSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    clients.add(RawWebSocket.connect(hub.ws("?token=" + token), Map.of()));
                }
                RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                        () -> RawWebSocket.connect(hub.ws("?token=" + token), Map.of()));
                assertEquals(503, refused.status());
                assertEquals("CONNECTION_LIMIT", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
                try (RawWebSocket otherUser = RawWebSocket.connect(hub.ws("?token=" + AuthTest.token("bob", "", Duration.ofMinutes(5))), Map.of())) {
                    assertEquals("connected", JsonWebSocket.json().readTree(otherUser.readText(WAIT)).path("type").asText());
                }
            } finally {
                clients.forEach(RawWebSocket::close);
            }
        }
    }

    @Test
    void aFullRoomRefusesFurtherJoinsEvenWhenTheyComeAllAtOnce() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.limits.per-room", "5"))) {
            List<JsonWebSocket> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(JsonWebSocket.connect(hub.ws()));
                clients.getLast().nextOfType("connected", WAIT);
            }
            try {
                clients.parallelStream().forEach(c -> c.join("project:busy"));
                int joined = 0;
                int full = 0;
                for (JsonWebSocket client : clients) {
                    JsonNode answer = client.next(WAIT);
                    if (answer.path("type").asText().equals("joined")) {
                        joined++;
                    } else {
                        assertEquals("CONNECTION_LIMIT", answer.path("data").path("code").asText(), answer.toString());
                        assertTrue(answer.path("data").path("message").asText().contains("project:busy"));
                        full++;
                    }
                }
                assertEquals(5, joined, "exactly the room's limit got in");
                assertEquals(15, full);
            } finally {
                clients.forEach(JsonWebSocket::close);
            }
        }
    }

    @Test
    void tooManyAttemptsFromOneAddressGet429() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.limits.attempts-per-ip-per-minute", "5"))) {
            for (int i = 0; i < 5; i++) {
                RawWebSocket.connect(hub.ws(), Map.of()).close();
            }
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(hub.ws(), Map.of()));
            assertEquals(429, refused.status());
            assertEquals("RATE_LIMITED", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
        }
    }

    @Test
    void sseStreamsCountAgainstTheSameLimits() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.limits.per-ip", "1"));
             var first = io.switchboard.bootstrap.testing.SseClient.open(hub.http("/sse?rooms=demo:1"), Map.of())) {
            assertEquals(200, first.status());
            first.nextOfType("joined", WAIT);
            var second = hub.get("/sse?rooms=demo:1");
            assertEquals(503, second.statusCode());
            assertEquals("CONNECTION_LIMIT", JsonWebSocket.json().readTree(second.body()).path("code").asText());
        }
    }

    private static void awaitConnections(TestHub hub, int expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stats(hub).path("connections").path("total").asInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, stats(hub).path("connections").path("total").asInt());
    }

    private static JsonNode stats(TestHub hub) throws Exception {
        return JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body());
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.EngineIoSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC 3.2: the Socket.IO dialect, driven packet by packet over a raw WebSocket (seed 004 in Socket.IO's words). */
class SocketIoTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String PATH = "/socket.io/";
    private static final String CONFIG = """
            hub:
              socket-io:
                path: /socket.io/
                room: "webhook:{value}"
              websocket:
                origins: [ "https://hooky.example.com" ]
              namespaces:
                webhook:
                  must-exist: true
                  not-found-message: Webhook not found
            """;
    private static final String PUBLISHER_KEY = "socket-io-test-publisher";
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithYaml(CONFIG, Map.of("hub.auth.jwks", AuthTest.JWKS, "hub.inbound.max-bytes", "2048",
                "hub.publish.api-keys", PUBLISHER_KEY, "hub.inbound.burst", "50"));
        put("/api/v1/rooms/webhook:abc-123");
        put("/api/v1/rooms/webhook:xyz-789");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static EngineIoSocket open() throws Exception {
        return EngineIoSocket.open(hub.port(), PATH, "", Map.of());
    }

    @Test
    void handshakeNamespaceConnectAndTheConnectedEventCarryTheConnectionId() throws Exception {
        try (EngineIoSocket client = open()) {
            JsonNode open = client.handshake(WAIT);
            String sid = open.path("sid").asText();
            assertFalse(sid.isEmpty(), open.toString());
            assertTrue(open.path("upgrades").isArray() && open.path("upgrades").isEmpty(), open.toString());
            assertEquals(30_000, open.path("pingInterval").asInt(), "hub.heartbeat.interval: " + open);
            assertEquals(10_000, open.path("pingTimeout").asInt(), "hub.heartbeat.timeout: " + open);
            assertEquals(2048, open.path("maxPayload").asInt(), "hub.inbound.max-bytes: " + open);

            client.send("40");
            assertEquals("40{\"sid\":\"" + sid + "\"}", client.next(WAIT));
            JsonNode connected = client.nextEvent(WAIT);
            assertEquals("connected", connected.path(0).asText(), connected.toString());
            assertEquals(sid, connected.path(1).path("connectionId").asText(), connected.toString());
        }
    }

    @Test
    void joinLeaveAndAnUndeclaredWebhookGetTheSeedsEvents() throws Exception {
        try (EngineIoSocket client = open()) {
            client.connect(null, WAIT);
            client.nextEvent("connected", WAIT);
            client.emit("join", "\"abc-123\"");
            JsonNode joined = client.nextEvent(WAIT);
            assertEquals("joined", joined.path(0).asText(), joined.toString());
            assertEquals("webhook:abc-123", joined.path(1).path("room").asText(), joined.toString());

            client.emit("join", "\"does-not-exist\"");
            JsonNode error = client.nextEvent(WAIT);
            assertEquals("error", error.path(0).asText(), error.toString());
            assertEquals("Webhook not found", error.path(1).path("message").asText(), error.toString());
            assertEquals("ROOM_NOT_FOUND", error.path(1).path("code").asText(), error.toString());

            client.emit("leave", "\"abc-123\"");
            JsonNode left = client.nextEvent(WAIT);
            assertEquals("left", left.path(0).asText(), left.toString());
            assertEquals("webhook:abc-123", left.path(1).path("room").asText(), left.toString());
        }
    }

    @Test
    void aCapturedRequestIsTheNewRequestEventOfItsRoomOnly() throws Exception {
        List<EngineIoSocket> inRoom = new ArrayList<>();
        try (EngineIoSocket other = open()) {
            for (int i = 0; i < 3; i++) {
                EngineIoSocket client = open();
                inRoom.add(client);
                client.connect(null, WAIT);
                client.emit("join", "\"abc-123\"");
                client.nextEvent("joined", WAIT);
            }
            other.connect(null, WAIT);
            other.emit("join", "\"xyz-789\"");
            other.nextEvent("joined", WAIT);

            HttpResponse<String> captured = TestHub.send(HttpRequest.newBuilder(hub.http("/hooks/abc-123?order=42"))
                    .header("Content-Type", "application/json").header("User-Agent", "shop-bot/1.0")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"paid\":true}")).build());
            assertEquals(200, captured.statusCode(), captured.body());
            String id = EngineIoSocket.json(captured.body()).path("id").asText();

            for (EngineIoSocket client : inRoom) {
                JsonNode event = client.nextEvent(WAIT);
                assertEquals("new-request", event.path(0).asText(), event.toString());
                JsonNode request = event.path(1);
                assertEquals(id, request.path("id").asText(), request.toString());
                assertEquals("abc-123", request.path("webhookId").asText());
                assertEquals("POST", request.path("method").asText());
                assertTrue(request.path("headers").isObject(), request.toString());
                assertEquals("42", request.path("queryParams").path("order").asText());
                assertEquals("{\"paid\":true}", request.path("body").asText());
                assertTrue(request.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), request.toString());
                assertEquals("127.0.0.1", request.path("sourceIp").asText());
                assertEquals("shop-bot/1.0", request.path("userAgent").asText());
                assertEquals("webhook:abc-123", event.path(2).path("room").asText(), "second argument: " + event);
                assertFalse(event.path(2).path("id").asText().isEmpty(), event.toString());
            }
            other.emit("leave", "\"xyz-789\"");
            JsonNode next = other.nextEvent(WAIT);
            assertEquals("left", next.path(0).asText(), "the other room got nothing first: " + next);
        } finally {
            inRoom.forEach(EngineIoSocket::close);
        }
    }

    @Test
    void eventsThatAskForAnAckGetOneWithTheAnswerOrTheError() throws Exception {
        try (EngineIoSocket client = open()) {
            client.connect(null, WAIT);
            client.nextEvent("connected", WAIT);
            client.send("421[\"join\",\"abc-123\"]");
            assertEquals("joined", client.nextEvent(WAIT).path(0).asText());
            String ack = client.next(WAIT);
            assertTrue(ack.startsWith("431["), ack);
            assertEquals("webhook:abc-123", EngineIoSocket.json(ack.substring(3)).path(0).path("room").asText(), ack);

            client.send("4217[\"join\",\"nope\"]");
            assertEquals("error", client.nextEvent(WAIT).path(0).asText());
            ack = client.next(WAIT);
            assertTrue(ack.startsWith("4317["), ack);
            JsonNode error = EngineIoSocket.json(ack.substring(4)).path(0).path("error");
            assertEquals("ROOM_NOT_FOUND", error.path("code").asText(), ack);
            assertEquals("Webhook not found", error.path("message").asText(), ack);

            client.send("423[\"dance\"]");
            assertTrue(client.nextEvent(WAIT).path(1).path("message").asText().contains("unknown event 'dance'"));
            ack = client.next(WAIT);
            assertTrue(ack.startsWith("433[{\"error\":{\"code\":\"MESSAGE_INVALID\""), ack);

            client.send("425[\"sync\",\"abc-123\"]");
            JsonNode state = client.nextEvent(WAIT);
            assertEquals("state", state.path(0).asText(), state.toString());
            assertTrue(client.next(WAIT).startsWith("435[{\"room\":\"webhook:abc-123\""));

            client.send("424[\"leave\",\"abc-123\"]");
            assertEquals("left", client.nextEvent(WAIT).path(0).asText());
            assertTrue(client.next(WAIT).startsWith("434[{\"room\":\"webhook:abc-123\""));
        }
    }

    @Test
    void malformedPacketsGetAnErrorEventAndTheConnectionStays() throws Exception {
        try (EngineIoSocket client = open()) {
            client.connect(null, WAIT);
            client.nextEvent("connected", WAIT);
            for (String bad : List.of("9", "4x", "42not json", "42{\"join\":1}", "42[]", "42[\"join\"]", "42[\"join\",{\"x\":1}]",
                    "42[\"join\",\"has space\"]", "451-[\"join\",{\"_placeholder\":true,\"num\":0}]", "44{}")) {
                client.send(bad);
                JsonNode error = client.nextEvent(WAIT);
                assertEquals("error", error.path(0).asText(), bad + " -> " + error);
                assertEquals("MESSAGE_INVALID", error.path(1).path("code").asText(), bad + " -> " + error);
            }
            client.raw().sendBinary(new byte[] {1, 2, 3});
            assertEquals("MESSAGE_INVALID", client.nextEvent(WAIT).path(1).path("code").asText());
            client.send("40/admin,");
            assertEquals("44/admin,{\"message\":\"Invalid namespace\"}", client.next(WAIT));
            client.emit("join", "\"abc-123\"");
            assertEquals("joined", client.nextEvent(WAIT).path(0).asText(), "still connected");
        }
    }

    @Test
    void aPacketOverTheInboundLimitClosesWith1009() throws Exception {
        try (EngineIoSocket client = open()) {
            client.connect(null, WAIT);
            client.emit("join", "\"" + "x".repeat(3000) + "\"");
            assertEquals(1009, client.raw().awaitClose(WAIT).closeCode());
        }
    }

    @Test
    void upgradesOtherThanEngineIo4OverWebSocketWithoutSubprotocolOrFromAForeignOriginAreRefused() {
        var eio3 = assertThrows(RawWebSocket.HandshakeRefused.class, () -> RawWebSocket.connect(
                hub.http(PATH + "?EIO=3&transport=websocket"), Map.of()));
        assertEquals(400, eio3.status());
        var polling = assertThrows(RawWebSocket.HandshakeRefused.class, () -> RawWebSocket.connect(
                hub.http(PATH + "?EIO=4&transport=polling"), Map.of()));
        assertEquals(400, polling.status());
        // A client that asks for a subprotocol is refused before the hub opens anything, as on /ws.
        var subprotocol = assertThrows(RawWebSocket.HandshakeRefused.class, () -> RawWebSocket.connect(
                hub.http(PATH + "?EIO=4&transport=websocket"), Map.of("Sec-WebSocket-Protocol", "mqtt")));
        assertEquals(400, subprotocol.status());
        assertTrue(subprotocol.body().contains("Sec-WebSocket-Protocol"), subprotocol.body());
        var origin = assertThrows(RawWebSocket.HandshakeRefused.class, () -> EngineIoSocket.open(hub.port(), PATH, "",
                Map.of("Origin", "https://evil.example.com")));
        assertEquals(403, origin.status());
    }

    @Test
    void theTokenComesFromTheConnectPayloadAndABadOneIsAConnectError() throws Exception {
        try (EngineIoSocket alice = open()) {
            alice.connect("{\"token\":\"" + AuthTest.token("alice", "", Duration.ofMinutes(5)) + "\"}", WAIT);
            JsonNode connected = alice.nextEvent("connected", WAIT);
            assertEquals("alice", connected.path(1).path("userId").asText(), connected.toString());
        }
        try (EngineIoSocket bob = EngineIoSocket.open(hub.port(), PATH,
                "&token=" + AuthTest.token("bob", "", Duration.ofMinutes(5)), Map.of())) {
            bob.connect(null, WAIT);
            assertEquals("bob", bob.nextEvent("connected", WAIT).path(1).path("userId").asText());
        }
        try (EngineIoSocket forged = open()) {
            forged.handshake(WAIT);
            forged.send("40{\"token\":\"" + AuthTest.token("mallory", "", Duration.ofMinutes(5)).replaceAll(".{6}$", "AAAAAA") + "\"}");
            String refusal = forged.next(WAIT);
            assertTrue(refusal.startsWith("44{\"message\":"), refusal);
            assertEquals("AUTH_INVALID", EngineIoSocket.json(refusal.substring(2)).path("data").path("code").asText(), refusal);
            assertEquals(4001, forged.raw().awaitClose(WAIT).closeCode());
        }
    }

    @Test
    void theHubPingsWithEngineIoPingsAndClosesAClientThatStopsAnsweringWith4011() throws Exception {
        try (TestHub fast = TestHub.startWithYaml(CONFIG, Map.of("hub.heartbeat.interval", "300ms", "hub.heartbeat.timeout", "300ms"));
             EngineIoSocket answering = EngineIoSocket.open(fast.port(), PATH, "", Map.of())) {
            assertEquals(300, answering.handshake(WAIT).path("pingInterval").asInt());
            answering.send("40");
            int pings = 0;
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                try {
                    String packet = answering.raw().readText(Duration.ofMillis(200));
                    if (packet.equals("2")) {
                        pings++;
                        answering.send("3");
                    }
                } catch (SocketTimeoutException quiet) {
                    // no packet in this slice
                }
            }
            assertTrue(pings >= 3, "pinged every interval and still open: " + pings);
            answering.emit("join", "\"abc-123\"");
            assertEquals("error", answering.nextEvent("error", WAIT).path(0).asText(), "a fresh hub: undeclared, but answered");
            EngineIoSocket silent = EngineIoSocket.open(fast.port(), PATH, "", Map.of());
            silent.connect(null, WAIT);
            silent.answerPings(false);
            List<RawWebSocket.Frame> frames = new ArrayList<>();
            RawWebSocket.Frame frame;
            do {
                frame = silent.raw().readFrame(WAIT);
                frames.add(frame);
            } while (!frame.isClose());
            assertEquals(4011, frame.closeCode(), frames.toString());
            assertTrue(frames.stream().anyMatch(f -> f.isText() && f.text().equals("2")), "Engine.IO pings: " + frames);
            assertTrue(frames.stream().noneMatch(RawWebSocket.Frame::isPing), "no WebSocket ping frames: " + frames);
            JsonNode notice = EngineIoSocket.json(frames.get(frames.size() - 2).text().substring(2));
            assertEquals("server_disconnect", notice.path(0).asText(), frames.toString());
            assertTrue(notice.path(1).path("reconnect").asBoolean(), notice.toString());
            silent.close();
        }
    }

    @Test
    void shutdownClosesTheTransportWithoutADisconnectPacketSoTheClientReconnects() throws Exception {
        TestHub stopping = TestHub.startWithYaml(CONFIG, Map.of());
        try (EngineIoSocket client = EngineIoSocket.open(stopping.port(), PATH, "", Map.of())) {
            client.connect(null, WAIT);
            client.nextEvent("connected", WAIT);
            Thread stopper = Thread.ofVirtual().start(stopping::close);
            JsonNode notice = client.nextEvent(WAIT);
            assertEquals("server_disconnect", notice.path(0).asText(), notice.toString());
            assertTrue(notice.path(1).path("reconnect").asBoolean(), notice.toString());
            RawWebSocket.Frame close = client.raw().readFrame(WAIT);
            assertTrue(close.isClose(), "no 41 before the close: " + close);
            assertEquals(1001, close.closeCode());
            stopper.join();
        }
    }

    @Test
    void anAdministratorsKickSendsTheDisconnectPacketSoTheClientStays() throws Exception {
        try (EngineIoSocket client = open()) {
            String sid = client.connect(null, WAIT);
            client.nextEvent("connected", WAIT);
            var kicked = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/admin/connections/" + sid))
                    .header("Authorization", "Bearer " + AuthTest.token("root", "admin", Duration.ofMinutes(5))).DELETE().build());
            assertEquals(202, kicked.statusCode(), kicked.body());
            JsonNode notice = client.nextEvent(WAIT);
            assertEquals("server_disconnect", notice.path(0).asText(), notice.toString());
            assertFalse(notice.path(1).path("reconnect").asBoolean(true), notice.toString());
            assertEquals("41", client.next(WAIT));
            assertEquals(4500, client.raw().awaitClose(WAIT).closeCode());
        }
    }

    @Test
    void aJoinStartsWhereTheClientWasWhenItSentItNotWhenTheHubReadsIt() throws Exception {
        // SPEC 13: socket.io-client fires `connect` on 40{"sid"} and the frontend joins right there; a
        // request captured after that is the client's, even when the hub stores it before it reads the
        // join. Here the capture is done (answered 200) before the join is even sent: the widest race.
        try (EngineIoSocket client = open()) {
            client.connect(null, WAIT);
            client.nextEvent("connected", WAIT);
            String early = capture(hub, "abc-123");
            client.emit("join", "\"abc-123\"");
            JsonNode joined = client.nextEvent(WAIT);
            assertEquals("joined", joined.path(0).asText(), joined.toString());
            JsonNode replayed = client.nextEvent(WAIT);
            assertEquals("new-request", replayed.path(0).asText(), replayed.toString());
            assertEquals(early, replayed.path(1).path("id").asText(), "the request captured after connect, after joined");
            long start = Long.parseLong(joined.path(1).path("lastId").asText());
            assertEquals(start + 1, Long.parseLong(replayed.path(2).path("id").asText()), "joined.lastId is where it starts: " + joined);

            String live = capture(hub, "abc-123");
            assertEquals(live, client.nextEvent("new-request", WAIT).path(1).path("id").asText(), "then live");

            // Left and joined again: what it was sent in the room is not sent again; what came while it was
            // out, after the moment it last provably saw, is.
            client.emit("leave", "\"abc-123\"");
            assertEquals("left", client.nextEvent(WAIT).path(0).asText());
            String whileOut = capture(hub, "abc-123");
            client.emit("join", "\"abc-123\"");
            assertEquals("joined", client.nextEvent(WAIT).path(0).asText());
            assertEquals(whileOut, client.nextEvent(WAIT).path(1).path("id").asText(), "nothing sent twice");
            // Joined again while in the room: nothing again either.
            client.emit("join", "\"abc-123\"");
            assertEquals("joined", client.nextEvent(WAIT).path(0).asText());
            client.emit("leave", "\"abc-123\"");
            assertEquals("left", client.nextEvent(WAIT).path(0).asText(), "no event sent twice");
        }
    }

    @Test
    void anAnsweredPingMovesTheStartOfLaterJoinsForward() throws Exception {
        try (TestHub fast = TestHub.startWithYaml(CONFIG, Map.of("hub.heartbeat.interval", "200ms", "hub.heartbeat.timeout", "5s",
                "hub.publish.api-keys", PUBLISHER_KEY));
             EngineIoSocket client = EngineIoSocket.open(fast.port(), PATH, "", Map.of())) {
            put(fast, "/api/v1/rooms/webhook:abc-123");
            client.connect(null, WAIT);
            String beforePing = capture(fast, "abc-123");
            // The first ping may have been queued before that capture; the second is queued an interval after
            // the first was answered, so after the capture. Answering it, the client shows it saw everything before.
            client.answerPings(false);
            for (int pings = 0; pings < 2; ) {
                if (client.raw().readText(WAIT).equals("2")) {
                    client.send("3");
                    pings++;
                }
            }
            String afterPing = capture(fast, "abc-123");
            client.emit("join", "\"abc-123\"");
            assertEquals("joined", client.nextEvent("joined", WAIT).path(0).asText());
            JsonNode first = client.nextEvent("new-request", WAIT);
            assertEquals(afterPing, first.path(1).path("id").asText(),
                    "only the request captured after the ping it answered, not " + beforePing);
        }
    }

    /** Calls the webhook; returns the captured request's id (the event is stored and heard when this returns). */
    private static String capture(TestHub target, String webhook) throws Exception {
        HttpResponse<String> captured = TestHub.send(HttpRequest.newBuilder(target.http("/hooks/" + webhook))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(200, captured.statusCode(), captured.body());
        return EngineIoSocket.json(captured.body()).path("id").asText();
    }

    private static void put(String path) {
        put(hub, path);
    }

    private static void put(TestHub target, String path) {
        HttpResponse<String> declared = TestHub.send(HttpRequest.newBuilder(target.http(path))
                .header("Authorization", "Bearer " + PUBLISHER_KEY).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, declared.statusCode(), declared.body());
    }
}

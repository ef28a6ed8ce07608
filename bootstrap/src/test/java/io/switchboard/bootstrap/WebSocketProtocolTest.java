package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canonical WebSocket protocol (SPEC 3.1, 8) as a client sees it: the answer to every message,
 * above all to bad ones. Every bad-input test also checks that a bystander, a healthy client in
 * the same hub, keeps receiving events: one client's mistakes must never reach another.
 */
class WebSocketProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int DEFAULT_MAX_BYTES = 4096;

    /** A hub with the default limits, shared by the tests that do not need other settings. */
    private static TestHub defaultHub;

    @BeforeAll
    static void startDefaultHub() {
        defaultHub = TestHub.start();
    }

    @AfterAll
    static void stopDefaultHub() {
        defaultHub.close();
    }

    // ---- greeting and well-formed messages ----

    /** {@code connected} is the first message and tells the client the heartbeat it must honour. */
    @Test
    void connectedComesFirstWithAUniqueIdRoomsAndTheConfiguredHeartbeat() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.heartbeat.interval", "1500ms", "hub.heartbeat.timeout", "700ms"));
             JsonWebSocket first = JsonWebSocket.connect(hub.ws());
             JsonWebSocket second = JsonWebSocket.connect(hub.ws())) {
            JsonNode a = first.next(WAIT);
            JsonNode b = second.next(WAIT);
            for (JsonNode connected : List.of(a, b)) {
                assertEquals("connected", connected.path("type").asText(), connected.toString());
                JsonNode data = connected.path("data");
                assertTrue(data.path("connectionId").isTextual(), connected.toString());
                assertTrue(data.path("connectionId").asText().length() >= 20, connected.toString());
                assertTrue(data.path("rooms").isArray(), connected.toString());
                assertEquals(1500, data.path("heartbeat").path("intervalMs").asLong(-1), connected.toString());
                assertEquals(700, data.path("heartbeat").path("timeoutMs").asLong(-1), connected.toString());
                assertTrue(connected.path("timestamp").isTextual(), connected.toString());
            }
            assertNotEquals(a.path("data").path("connectionId").asText(), b.path("data").path("connectionId").asText());
        }
    }

    @Test
    void joinLeaveAndPingGetTheirAnswers() throws Exception {
        String room = "protocol:join-leave";
        String lastId = idOf(defaultHub.publish(event(room, "before-join")), room);
        try (Bystander bystander = Bystander.joined(defaultHub); JsonWebSocket client = connected(defaultHub)) {
            client.join(room);
            JsonNode joined = client.next(WAIT);
            assertEquals("joined", joined.path("type").asText(), joined.toString());
            assertEquals(room, joined.path("data").path("room").asText(), joined.toString());
            assertEquals(lastId, joined.path("data").path("lastId").asText(), joined.toString());

            client.leave(room);
            JsonNode left = client.next(WAIT);
            assertEquals("left", left.path("type").asText(), left.toString());
            assertEquals(room, left.path("data").path("room").asText(), left.toString());

            client.leave(room);
            assertError(client.next(WAIT), "MESSAGE_INVALID", null);

            client.send("{\"type\":\"ping\",\"data\":{\"n\":1}}");
            JsonNode pong = client.next(WAIT);
            assertEquals("pong", pong.path("type").asText(), pong.toString());
            assertEquals(JsonWebSocket.json().readTree("{\"n\":1}"), pong.path("data"), pong.toString());
            bystander.assertStillServed();
        }
    }

    @Test
    void aJoinedClientReceivesNothingFromARoomItLeft() throws Exception {
        String room = "protocol:left-room";
        try (Bystander bystander = Bystander.joined(defaultHub); JsonWebSocket client = connected(defaultHub)) {
            client.join(room);
            client.nextOfType("joined", WAIT);
            client.leave(room);
            client.nextOfType("left", WAIT);
            assertEquals(202, defaultHub.publish(event(room, "after-leave")).statusCode());
            bystander.assertStillServed();
            assertPingAnswered(client, "after-leave"); // the event would have arrived before this pong
        }
    }

    // ---- bad input: an error, and the connection stays ----

    static Stream<Arguments> badMessages() {
        return Stream.of(
                Arguments.of("malformed JSON", "{not json", "MESSAGE_INVALID", null),
                Arguments.of("two objects in one message", "{\"type\":\"ping\"}{\"type\":\"ping\"}",
                        "MESSAGE_INVALID", null),
                Arguments.of("an array instead of an object", "[{\"type\":\"ping\"}]", "MESSAGE_INVALID", null),
                Arguments.of("no type", "{\"data\":{\"room\":\"demo:1\"}}", "MESSAGE_INVALID", null),
                Arguments.of("an unknown type", "{\"type\":\"dance\"}", "MESSAGE_INVALID", null),
                Arguments.of("join without a room", "{\"type\":\"join\",\"data\":{}}", "MESSAGE_INVALID", null),
                Arguments.of("join of an invalid room name", "{\"type\":\"join\",\"data\":{\"room\":\"bad room!\"}}",
                        "MESSAGE_INVALID", null),
                Arguments.of("join of a reserved room", "{\"type\":\"join\",\"data\":{\"room\":\"$audit\"}}",
                        "FORBIDDEN", null),
                Arguments.of("a bad message with a ref", "{\"type\":\"join\",\"ref\":\"r1\"}", "MESSAGE_INVALID", "r1"));
    }

    @ParameterizedTest(name = "{0} -> error {2}")
    @MethodSource("badMessages")
    void aBadMessageGetsAnErrorAndTheConnectionKeepsWorking(String what, String message, String code, String ref)
            throws Exception {
        try (Bystander bystander = Bystander.joined(defaultHub); JsonWebSocket client = connected(defaultHub)) {
            client.send(message);
            assertError(client.next(WAIT), code, ref);
            assertPingAnswered(client, what);
            bystander.assertStillServed();
        }
    }

    @Test
    void aBinaryFrameGetsAnErrorAndTheConnectionKeepsWorking() throws Exception {
        try (Bystander bystander = Bystander.joined(defaultHub); RawWebSocket client = rawConnected(defaultHub)) {
            client.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
            JsonNode error = nextJson(client);
            assertError(error, "MESSAGE_INVALID", null);
            assertTrue(error.path("data").path("message").asText().contains("binary"), error.toString());

            client.sendText(ping("after-binary"));
            assertPong(nextJson(client), "after-binary");
            bystander.assertStillServed();
        }
    }

    // ---- inbound size cap (default 4096 bytes, counted across fragments) ----

    @Test
    void aMessageOverTheSizeCapClosesWith1009() throws Exception {
        try (Bystander bystander = Bystander.joined(defaultHub); RawWebSocket client = rawConnected(defaultHub)) {
            client.sendText(paddedPing(5_000));
            assertClosedAfterDisconnect(client, 1009);
            bystander.assertStillServed();
        }
    }

    /**
     * The hub's own close (here 1009) is followed through: a client that never answers the close frame has
     * its socket cut after the close grace, so it holds no socket, reader or buffer of the hub's.
     */
    @Test
    void aClientThatNeverAnswersTheHubsCloseIsCutAfterTheCloseGrace() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.connection.close-grace", "1s"));
             RawWebSocket client = rawConnected(hub)) {
            client.sendText(paddedPing(5_000));
            RawWebSocket.Frame close;
            do {
                close = client.readFrame(WAIT);
            } while (!close.isClose());
            assertEquals(1009, close.closeCode());
            long cutAfter = System.nanoTime();
            // no answer to the close: the hub must end the socket itself
            IOException end = assertThrows(IOException.class, () -> client.readFrame(Duration.ofSeconds(5)),
                    "the socket ends without the client's close frame");
            assertFalse(end instanceof SocketTimeoutException, "the socket is still open 5 s after the hub's close");
            assertTrue(System.nanoTime() - cutAfter < Duration.ofSeconds(4).toNanos(), "cut within the close grace and a tick");
        }
    }

    /** Three 2,000-byte fragments are each under the cap, but the message is not. */
    @Test
    void theSizeCapCountsAllFragmentsOfAMessage() throws Exception {
        try (Bystander bystander = Bystander.joined(defaultHub); RawWebSocket client = rawConnected(defaultHub)) {
            String message = paddedPing(6_000);
            client.sendTextFragments(List.of(message.substring(0, 2_000), message.substring(2_000, 4_000),
                    message.substring(4_000)));
            assertClosedAfterDisconnect(client, 1009);
            bystander.assertStillServed();
        }
    }

    @Test
    void aFragmentedMessageUpToTheCapIsAccepted() throws Exception {
        try (Bystander bystander = Bystander.joined(defaultHub); RawWebSocket client = rawConnected(defaultHub)) {
            String message = paddedPing(DEFAULT_MAX_BYTES);
            client.sendTextFragments(List.of(message.substring(0, 1_500), message.substring(1_500, 3_000),
                    message.substring(3_000)));
            JsonNode pong = nextJson(client);
            assertEquals("pong", pong.path("type").asText(), pong.toString());
            assertEquals(message.length() - paddedPing(0).length(), pong.path("data").path("pad").asText().length());

            client.sendText(ping("after-fragments")); // the next message starts counting from zero
            assertPong(nextJson(client), "after-fragments");
            bystander.assertStillServed();
        }
    }

    /**
     * A WebSocket connection reads its socket through Helidon's fixed 8 KiB buffer: a 60 KiB message in
     * one frame, with multi-byte characters across the read boundaries, still arrives whole.
     */
    @Test
    void aMessageManyTimesTheReadSizeArrivesWhole() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.inbound.max-bytes", "65536"));
             RawWebSocket client = rawConnected(hub)) {
            String pad = "ü✓🚀x".repeat(6_000); // 2 + 3 + 4 + 1 bytes each: 60,000 bytes of UTF-8
            client.sendText("{\"type\":\"ping\",\"data\":{\"pad\":\"" + pad + "\"}}");
            JsonNode pong = nextJson(client);
            assertEquals("pong", pong.path("type").asText(), pong.toString());
            assertEquals(pad, pong.path("data").path("pad").asText());

            client.sendText(ping("after-large"));
            assertPong(nextJson(client), "after-large");
        }
    }

    /**
     * RFC 6455 5.5.1: a close is answered with a close at once, whether or not it carries a status code.
     * A close without one is what a browser sends for {@code ws.close()}; Helidon 4.0.5 waited for more
     * bytes before reading a frame with an empty payload, so it was never answered (fixed in 4.0.6).
     */
    @Test
    void aClientsCloseIsAnsweredWithOrWithoutAStatusCode() throws Exception {
        try (Bystander bystander = Bystander.joined(defaultHub);
             RawWebSocket withStatus = rawConnected(defaultHub);
             RawWebSocket withoutStatus = rawConnected(defaultHub)) {
            withStatus.sendClose(1000, "bye");
            assertEquals(1000, withStatus.awaitClose(Duration.ofSeconds(5)).closeCode());

            withoutStatus.sendFrame(0x8, true, new byte[0]);
            assertEquals(1000, withoutStatus.awaitClose(Duration.ofSeconds(5)).closeCode(),
                    "a normal close, not 1011");
            bystander.assertStillServed();
        }
    }

    /** A ping with an empty payload is answered at once (Helidon alone waited for the client's next bytes). */
    @Test
    void anEmptyPingIsAnsweredAtOnce() throws Exception {
        try (RawWebSocket client = rawConnected(defaultHub)) {
            client.sendFrame(0x9, true, new byte[0]);
            RawWebSocket.Frame pong = client.readFrame(Duration.ofSeconds(5));
            assertTrue(pong.isPong(), "expected a pong, got " + pong);
            assertEquals(0, pong.payload().length);
        }
    }

    /** A text frame with an empty payload is read at once: an error (it is no command), then the next message is served. */
    @Test
    void anEmptyTextFrameIsAnsweredAtOnce() throws Exception {
        try (RawWebSocket client = rawConnected(defaultHub)) {
            client.sendFrame(RawWebSocket.OP_TEXT, true, new byte[0]);
            assertError(nextJson(client), "MESSAGE_INVALID", null);
            client.sendText(ping("after-empty"));
            assertPong(nextJson(client), "after-empty");
        }
    }

    // ---- inbound rate limit ----

    /** Burst 10 at 10/s: of 15 pings sent at once the first 10 are answered, the rest refused, not dropped silently. */
    @Test
    void messagesBeyondTheBurstAreRefusedWithRateLimited() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.inbound.rate-per-second", "10", "hub.inbound.burst", "10"));
             Bystander bystander = Bystander.joined(hub);
             RawWebSocket client = rawConnected(hub)) {
            for (int i = 0; i < 15; i++) {
                client.sendText(ping("burst-" + i));
            }
            List<String> pongs = new ArrayList<>();
            int rateLimited = 0;
            for (int i = 0; i < 15; i++) {
                JsonNode answer = nextJson(client);
                if ("pong".equals(answer.path("type").asText())) {
                    pongs.add(answer.path("data").path("marker").asText());
                } else {
                    assertError(answer, "RATE_LIMITED", null);
                    rateLimited++;
                }
            }
            assertEquals(List.of("burst-0", "burst-1", "burst-2", "burst-3", "burst-4", "burst-5", "burst-6",
                    "burst-7", "burst-8", "burst-9"), pongs);
            assertEquals(5, rateLimited);
            bystander.assertStillServed();

            Thread.sleep(300); // the bucket refills at 10 per second
            client.sendText(ping("after-refill"));
            assertPong(nextJson(client), "after-refill");
        }
    }

    @Test
    void aFloodPastTheViolationLimitClosesWith4008() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.inbound.rate-per-second", "10", "hub.inbound.burst", "10",
                "hub.inbound.violations-to-close", "5"));
             Bystander bystander = Bystander.joined(hub);
             RawWebSocket client = rawConnected(hub)) {
            try {
                for (int i = 0; i < 50; i++) {
                    client.sendText(ping("flood-" + i));
                }
            } catch (IOException closedWhileSending) {
                // the hub may hang up before the flood is fully written; the close frame is what counts
            }
            assertClosedAfterDisconnect(client, 4008);
            bystander.assertStillServed();
        }
    }

    // ---- subscriptions ----

    @Test
    void joiningMoreRoomsThanAllowedFailsWithSubscriptionFailed() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.connection.max-rooms", "2"));
             Bystander bystander = Bystander.joined(hub);
             JsonWebSocket client = connected(hub)) {
            for (String room : List.of("limit:1", "limit:2")) {
                client.join(room);
                JsonNode joined = client.next(WAIT);
                assertEquals("joined", joined.path("type").asText(), joined.toString());
                assertEquals(room, joined.path("data").path("room").asText(), joined.toString());
            }
            client.join("limit:3");
            assertError(client.next(WAIT), "SUBSCRIPTION_FAILED", null);

            assertEquals(202, hub.publish(event("limit:3", "not-joined")).statusCode());
            assertEquals(202, hub.publish(event("limit:2", "joined")).statusCode());
            JsonNode delivered = client.nextEvents(1, WAIT).getFirst();
            assertEquals("limit:2", delivered.path("room").asText(), "the refused join must not subscribe: " + delivered);
            bystander.assertStillServed();
        }
    }

    // ---- handshake refusals (before the 101) ----

    @Test
    void anUnsupportedSubprotocolIsRefusedWith400AndAJsonBody() throws Exception {
        try (Bystander bystander = Bystander.joined(defaultHub)) {
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> RawWebSocket.connect(defaultHub.ws(), Map.of("Sec-WebSocket-Protocol", "foo")).close());
            assertEquals(400, refused.status(), refused.getMessage());
            JsonNode body = JsonWebSocket.json().readTree(refused.body());
            assertTrue(body.path("code").isTextual() && !body.path("code").asText().isBlank(), refused.body());
            assertTrue(body.path("message").isTextual() && !body.path("message").asText().isBlank(), refused.body());
            bystander.assertStillServed();
        }
    }

    // ---- helpers ----

    /**
     * A healthy client joined to its own room in the same hub. {@link #assertStillServed()} publishes
     * to that room and expects the event: whatever another client did must not have reached it.
     */
    private static final class Bystander implements AutoCloseable {
        private final TestHub hub;
        private final JsonWebSocket client;
        private final String room;
        private int checks;

        private Bystander(TestHub hub, JsonWebSocket client, String room) {
            this.hub = hub;
            this.client = client;
            this.room = room;
        }

        static Bystander joined(TestHub hub) throws IOException {
            JsonWebSocket client = connected(hub);
            String room = "bystander:" + client.history().getFirst().path("data").path("connectionId").asText();
            client.join(room);
            assertEquals("joined", client.next(WAIT).path("type").asText(), "bystander join");
            return new Bystander(hub, client, room);
        }

        void assertStillServed() {
            String marker = "check-" + ++checks;
            HttpResponse<String> response = hub.publish(event(room, marker));
            assertEquals(202, response.statusCode(), response.body());
            JsonNode delivered = client.next(WAIT);
            assertEquals(room, delivered.path("room").asText(), "bystander got " + delivered);
            assertEquals(marker, delivered.path("data").path("marker").asText(), "bystander got " + delivered);
            assertFalse(client.closeCode().isDone(), "bystander was closed: " + client.closeReason());
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** A JSON client whose {@code connected} greeting has been read. */
    private static JsonWebSocket connected(TestHub hub) throws IOException {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws());
        assertEquals("connected", client.next(WAIT).path("type").asText());
        return client;
    }

    /** A raw client whose {@code connected} greeting has been read. */
    private static RawWebSocket rawConnected(TestHub hub) throws IOException {
        RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of());
        assertEquals("connected", nextJson(client).path("type").asText());
        return client;
    }

    private static JsonNode nextJson(RawWebSocket client) throws IOException {
        return JsonWebSocket.json().readTree(client.readText(WAIT));
    }

    /** The hub says why ({@code disconnect} with the same code) and then closes with {@code code}. */
    private static void assertClosedAfterDisconnect(RawWebSocket client, int code) throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        RawWebSocket.Frame frame;
        try {
            while (!(frame = client.readFrame(WAIT)).isClose()) {
                if (frame.isText()) {
                    messages.add(JsonWebSocket.json().readTree(frame.text()));
                }
            }
        } catch (SocketTimeoutException | EOFException e) {
            throw new AssertionError("expected close " + code + " but got " + e + " after " + messages, e);
        }
        assertEquals(code, frame.closeCode(), "close " + frame + " after " + messages);
        assertFalse(messages.isEmpty(), "no disconnect before close " + frame);
        JsonNode disconnect = messages.getLast();
        assertEquals("disconnect", disconnect.path("type").asText(), "last message before close: " + messages);
        assertEquals(code, disconnect.path("data").path("code").asInt(), disconnect.toString());
    }

    private static void assertError(JsonNode message, String code, String ref) {
        assertEquals("error", message.path("type").asText(), message.toString());
        JsonNode data = message.path("data");
        assertEquals(code, data.path("code").asText(), message.toString());
        assertFalse(data.path("message").asText().isBlank(), "an error says what was wrong: " + message);
        if (ref == null) {
            assertFalse(data.has("ref"), "no ref was sent: " + message);
        } else {
            assertEquals(ref, data.path("ref").asText(), message.toString());
        }
    }

    /** The connection still works: a ping sent now gets the very next answer, a pong echoing it. */
    private static void assertPingAnswered(JsonWebSocket client, String marker) {
        client.send(ping(marker));
        assertPong(client.next(WAIT), marker);
    }

    private static void assertPong(JsonNode message, String marker) {
        assertEquals("pong", message.path("type").asText(), message.toString());
        assertEquals(marker, message.path("data").path("marker").asText(), message.toString());
    }

    private static String ping(String marker) {
        return "{\"type\":\"ping\",\"data\":{\"marker\":\"" + marker + "\"}}";
    }

    /** A valid ping of exactly {@code bytes} bytes (or of its minimal size when that is larger). */
    private static String paddedPing(int bytes) {
        String prefix = "{\"type\":\"ping\",\"data\":{\"pad\":\"";
        String suffix = "\"}}";
        return prefix + "x".repeat(Math.max(0, bytes - prefix.length() - suffix.length())) + suffix;
    }

    private static String event(String room, String marker) {
        return "{\"room\":\"" + room + "\",\"type\":\"check\",\"data\":{\"marker\":\"" + marker + "\"}}";
    }

    private static String idOf(HttpResponse<String> published, String room) throws IOException {
        assertEquals(202, published.statusCode(), published.body());
        return JsonWebSocket.json().readTree(published.body()).path("ids").path(room).asText();
    }
}

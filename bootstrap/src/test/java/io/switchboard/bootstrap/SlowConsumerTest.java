package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static io.switchboard.bootstrap.NumberedEvents.assertExactly;
import static io.switchboard.bootstrap.NumberedEvents.describe;
import static io.switchboard.bootstrap.NumberedEvents.parse;
import static io.switchboard.bootstrap.NumberedEvents.seq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SPEC 6 "Slow consumers": a client that stops reading fills its bounded queue; the overflow
 * policy applies to it alone, and nobody else waits for it.
 */
class SlowConsumerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "demo:slow";
    private static final String QUEUE_LIMIT = "64";
    /** About 10 MB: far more than a stalled client's socket buffers (up to 4 MB on loopback) and its queue hold. */
    private static final int EVENTS = 600;
    /** Well below the queue limit, so a client that keeps reading never overflows within one request. */
    private static final int EVENTS_PER_REQUEST = 16;
    private static final int PAD_CHARS = 16_000;
    /** A receive buffer this small makes a client that stops reading back the hub up quickly. */
    private static final int SLOW_RECEIVE_BUFFER = 4096;

    /** SPEC 6: "disconnect (close 4010; the client resumes and loses nothing)", and nobody else waits. */
    @Test
    void slowClientIsClosedWith4010AndResumesWithoutLossWhileOthersAreNotHeldBack() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.connection.outbound-max-messages", QUEUE_LIMIT));
             RawWebSocket slow = stalledClient(hub);
             JsonWebSocket healthy = JsonWebSocket.connect(hub.ws())) {
            healthy.join(ROOM);
            healthy.nextOfType("joined", WAIT);

            // a healthy client reads each request's events before the next is sent, so it never lags
            // whatever the machine's load; it would time out if the stalled client held the hub back
            List<JsonNode> healthySaw = new ArrayList<>();
            publishAll(hub, 1, EVENTS, (first, last) -> healthySaw.addAll(healthy.nextEvents(last - first + 1, WAIT)));
            assertExactly(healthySaw, ROOM, 1, EVENTS);

            Received slowSaw = readUntilClose(slow);
            JsonNode disconnect = slowSaw.messages().getLast();
            assertEquals("disconnect", disconnect.path("type").asText(), "last message before the close: " + slowSaw);
            assertEquals(4010, disconnect.path("data").path("code").asInt(), disconnect.toString());
            assertTrue(disconnect.path("data").path("reconnect").booleanValue(), "4010 means resume: " + disconnect);
            assertEquals(4010, slowSaw.close().closeCode(), slowSaw.close().toString());
            int got = slowSaw.events().size();
            assertTrue(got < EVENTS, "the stalled client was sent everything: " + slowSaw);
            assertExactly(slowSaw.events(), ROOM, 1, got);

            JsonNode stats = awaitConnections(hub, 1, WAIT);
            assertTrue(stats.path("events").path("dropped").asLong() > 0, stats.toString());

            try (JsonWebSocket resumed = JsonWebSocket.connect(hub.ws())) {
                resumed.join(ROOM, slowSaw.events().getLast().path("id").asText());
                JsonNode joined = resumed.nextOfType("joined", WAIT);
                assertTrue(joined.path("data").path("recovered").booleanValue(), joined.toString());
                assertExactly(resumed.nextEvents(EVENTS - got, WAIT), ROOM, got + 1, EVENTS);
            }
        }
    }

    @Test
    void dropOldestTellsTheSlowClientHowManyWereDroppedAndKeepsItConnected() throws Exception {
        try (TestHub hub = TestHub.start(Map.of(
                "hub.connection.outbound-max-messages", QUEUE_LIMIT,
                "hub.connection.overflow-policy", "drop-oldest"));
             RawWebSocket slow = stalledClient(hub)) {
            publishAll(hub, 1, EVENTS, (first, last) -> { });

            slow.sendText("{\"type\":\"ping\",\"data\":{\"token\":\"end\"}}");
            Received slowSaw = readUntilPong(slow);
            long dropped = 0;
            for (JsonNode error : slowSaw.ofType("error")) {
                assertEquals("SLOW_CONSUMER", error.path("data").path("code").asText(), error.toString());
                assertTrue(error.path("data").path("dropped").asLong() > 0, error.toString());
                dropped += error.path("data").path("dropped").asLong();
            }
            assertTrue(dropped > 0, "no SLOW_CONSUMER error: " + slowSaw);
            assertEquals(EVENTS, slowSaw.events().size() + dropped,
                    "received plus reported dropped must account for every event: " + slowSaw);
            assertIncreasing(slowSaw.events());

            NumberedEvents.publish(hub, ROOM, EVENTS + 1, EVENTS + 1);
            JsonNode live = parse(slow.readText(WAIT));
            assertEquals(EVENTS + 1, seq(live), "still connected and receiving: " + live);
        }
    }

    /**
     * A client that never reads again cannot even be sent its close: the hub cuts it off once the
     * close grace (1 s here) has passed and frees it, and meanwhile keeps serving everyone else.
     */
    @Test
    void clientThatNeverReadsAgainIsCutOffWithoutStallingTheOthers() throws Exception {
        try (TestHub hub = TestHub.start(Map.of(
                "hub.connection.outbound-max-messages", QUEUE_LIMIT,
                "hub.connection.close-grace", "1s",
                "hub.stats-interval", "200ms"));
             RawWebSocket stuck = stalledClient(hub);
             JsonWebSocket watcher = JsonWebSocket.connect(hub.ws())) {
            watcher.join("$stats");
            watcher.nextOfType("joined", WAIT);

            publishAll(hub, 1, EVENTS, (first, last) -> { });

            awaitConnections(hub, 1, Duration.ofSeconds(20));
            int updates = statsUpdates(watcher);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (statsUpdates(watcher) < updates + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(statsUpdates(watcher) >= updates + 2, "stats_update (every 200 ms) stopped after the cut-off");

            IOException end = assertThrows(IOException.class, () -> readUntilClose(stuck),
                    "a cut-off connection ends without a close handshake");
            assertFalse(end instanceof SocketTimeoutException, "the stuck client's connection is still open: " + end);
        }
    }

    /**
     * SPEC 15: stalled SSE streams are ended like stalled WebSocket clients, and the two in one room do
     * not hold each other up: every stalled client is cut within the close grace of its overflow, the
     * stats count exactly the one that reads, and the hub's timers keep running.
     */
    @Test
    void stalledSseStreamsAndWebSocketClientsOfOneRoomAreAllCutOff() throws Exception {
        try (TestHub hub = TestHub.start(Map.of(
                "hub.connection.outbound-max-messages", QUEUE_LIMIT,
                "hub.connection.close-grace", "1s",
                "hub.stats-interval", "200ms"));
             JsonWebSocket watcher = JsonWebSocket.connect(hub.ws())) {
            watcher.join("$stats");
            watcher.nextOfType("joined", WAIT);
            List<java.net.Socket> streams = new ArrayList<>();
            List<RawWebSocket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    streams.add(stalledStream(hub));
                    sockets.add(stalledClient(hub));
                }
                awaitConnections(hub, 11, WAIT);

                publishAll(hub, 1, EVENTS, (first, last) -> { });

                JsonNode stats = awaitConnections(hub, 1, Duration.ofSeconds(20));
                assertEquals(0, stats.path("connections").path("sse").asInt(), stats.toString());
                int updates = statsUpdates(watcher);
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (statsUpdates(watcher) < updates + 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(statsUpdates(watcher) >= updates + 2, "the hub's timers stopped after the cut-off");
                for (java.net.Socket stream : streams) {
                    assertStreamEnds(stream);
                }
                for (RawWebSocket socket : sockets) {
                    IOException end = assertThrows(IOException.class, () -> readUntilClose(socket), "a stalled WebSocket client is cut");
                    assertFalse(end instanceof SocketTimeoutException, "a stalled WebSocket client is still connected: " + end);
                }
            } finally {
                for (java.net.Socket stream : streams) {
                    stream.close();
                }
                sockets.forEach(RawWebSocket::close);
            }
        }
    }

    // ---- helpers ----

    /** An SSE stream of {@link #ROOM} whose client reads the response headers and then nothing, with a tiny receive buffer. */
    private static java.net.Socket stalledStream(TestHub hub) throws IOException {
        java.net.Socket socket = new java.net.Socket();
        socket.setReceiveBufferSize(SLOW_RECEIVE_BUFFER);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", hub.port()), 5_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        socket.getOutputStream().write(("GET /sse?rooms=" + ROOM + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.io.InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                fail("the stream ended before its headers: " + head);
            }
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
        return socket;
    }

    /** Reads what the hub had sent a stalled stream; the hub must have ended it (end of stream or reset), not left it open. */
    private static void assertStreamEnds(java.net.Socket stream) throws IOException {
        byte[] buffer = new byte[65536];
        try {
            while (stream.getInputStream().read(buffer) >= 0) {
                // drain what was in flight
            }
        } catch (SocketTimeoutException e) {
            fail("a stalled SSE stream is still open");
        } catch (java.net.SocketException e) {
            // reset by the hub: ended
        }
    }


    /** A client with a tiny receive buffer that joins {@link #ROOM} and then reads nothing until told. */
    private static RawWebSocket stalledClient(TestHub hub) throws Exception {
        RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of(), SLOW_RECEIVE_BUFFER);
        assertEquals("connected", parse(client.readText(WAIT)).path("type").asText());
        client.sendText("{\"type\":\"join\",\"data\":{\"room\":\"" + ROOM + "\"}}");
        assertEquals("joined", parse(client.readText(WAIT)).path("type").asText());
        return client;
    }

    /** Publishes {@code from..to} in requests of {@link #EVENTS_PER_REQUEST}, calling {@code afterEach(first, last)} after each. */
    private static void publishAll(TestHub hub, int from, int to, BiConsumer<Integer, Integer> afterEach) {
        for (int first = from; first <= to; first += EVENTS_PER_REQUEST) {
            int last = Math.min(to, first + EVENTS_PER_REQUEST - 1);
            NumberedEvents.publish(hub, ROOM, first, last, PAD_CHARS);
            afterEach.accept(first, last);
        }
    }

    /** What a client read: its messages in order, and the close frame if one ended the reading. */
    private record Received(List<JsonNode> messages, RawWebSocket.Frame close) {
        List<JsonNode> events() {
            return NumberedEvents.roomEvents(messages);
        }

        List<JsonNode> ofType(String type) {
            return messages.stream().filter(m -> !m.has("room") && type.equals(m.path("type").asText())).toList();
        }

        @Override
        public String toString() {
            return describe(events()) + ", other messages " + messages.stream().filter(m -> !m.has("room")).toList()
                    + (close == null ? "" : ", then " + close);
        }
    }

    /**
     * Reads everything the hub had buffered or still writes, up to its close frame. The hub cuts
     * off a writer that cannot finish closing within 10 s, so this runs right after publishing.
     */
    private static Received readUntilClose(RawWebSocket client) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        while (true) {
            RawWebSocket.Frame frame = client.readFrame(WAIT);
            if (frame.isClose()) {
                return new Received(messages, frame);
            }
            if (frame.isText()) {
                messages.add(parse(frame.text()));
            }
        }
    }

    /** Reads text messages up to and including the {@code pong}; a close frame on the way fails the test. */
    private static Received readUntilPong(RawWebSocket client) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        while (true) {
            JsonNode message = parse(client.readText(WAIT));
            if (!message.has("room") && "pong".equals(message.path("type").asText())) {
                return new Received(messages, null);
            }
            messages.add(message);
        }
    }

    private static void assertIncreasing(List<JsonNode> events) {
        for (int i = 1; i < events.size(); i++) {
            assertTrue(NumberedEvents.id(events.get(i)) > NumberedEvents.id(events.get(i - 1)),
                    "ids out of order at position " + i + ": " + describe(events));
            assertTrue(seq(events.get(i)) > seq(events.get(i - 1)), "seqs out of order: " + describe(events));
        }
    }

    private static int statsUpdates(JsonWebSocket client) {
        return (int) client.history().stream().filter(m -> "stats_update".equals(m.path("type").asText())).count();
    }

    /** Polls {@code GET /api/v1/stats} until {@code connections.total} is {@code total}; returns that snapshot. */
    private static JsonNode awaitConnections(TestHub hub, int total, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode stats;
        do {
            var response = hub.get("/api/v1/stats");
            assertEquals(200, response.statusCode(), response.body());
            stats = parse(response.body());
            if (stats.path("connections").path("total").asInt() == total) {
                return stats;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return fail("connections.total never became " + total + " within " + timeout + ": " + stats);
    }
}

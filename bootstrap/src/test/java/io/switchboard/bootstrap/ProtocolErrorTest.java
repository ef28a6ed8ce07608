package io.switchboard.bootstrap;

import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.LogWatch;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC 15: a client that breaks RFC 6455 gets the RFC's close code as the very next frame (never HTTP
 * bytes written into the upgraded stream), the hub logs no stack trace for it, and everyone else is
 * still served. Each case is a raw socket sending what no polite client sends.
 */
class ProtocolErrorTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static LogWatch log;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        log = LogWatch.everything();
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        log.close();
    }

    interface Broken {
        void send(RawWebSocket client) throws Exception;
    }

    static Stream<Arguments> violations() {
        byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("reserved opcode 0x3", 1002, (Broken) c -> c.sendFrame(0x3, true, new byte[] {'x'})),
                Arguments.of("reserved opcode 0xB", 1002, (Broken) c -> c.sendFrame(0xB, true, new byte[] {'x'})),
                Arguments.of("a reserved bit set", 1002, (Broken) c -> c.sendRaw(maskedFrame(0x80 | 0x40 | 0x1, ping))),
                Arguments.of("a fragmented ping", 1002, (Broken) c -> c.sendFrame(0x9, false, new byte[] {'a'})),
                Arguments.of("a ping of 126 bytes", 1002, (Broken) c -> c.sendFrame(0x9, true, new byte[126])),
                Arguments.of("a continuation after a whole message", 1002, (Broken) c -> {
                    c.sendFrame(0x1, true, ping);
                    c.sendFrame(0x0, true, ping);
                }),
                Arguments.of("a new message inside a fragmented one", 1002, (Broken) c -> {
                    c.sendFrame(0x1, false, "{\"type\":".getBytes(StandardCharsets.UTF_8));
                    c.sendFrame(0x1, true, ping);
                }),
                Arguments.of("invalid UTF-8 in a text frame", 1007, (Broken) c -> c.sendFrame(0x1, true,
                        new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'})),
                Arguments.of("a text message cut inside a character", 1007, (Broken) c -> {
                    c.sendFrame(0x1, false, new byte[] {'"', (byte) 0xE2});
                    c.sendFrame(0x0, true, new byte[] {'"'});
                }),
                Arguments.of("a close with a 1-byte payload", 1002, (Broken) c -> c.sendFrame(0x8, true, new byte[] {3})),
                Arguments.of("a close with code 1005", 1002, (Broken) c -> c.sendFrame(0x8, true, new byte[] {0x03, (byte) 0xED})),
                Arguments.of("a close with code 999", 1002, (Broken) c -> c.sendFrame(0x8, true, new byte[] {0x03, (byte) 0xE7})),
                Arguments.of("a close reason that is not UTF-8", 1007,
                        (Broken) c -> c.sendFrame(0x8, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF})));
    }

    @ParameterizedTest(name = "{0} -> close {1}")
    @MethodSource("violations")
    void aBrokenFrameIsAnsweredWithTheRfcsCloseCodeAndNothingElse(String what, int code, Broken broken) throws Exception {
        int thrownBefore = log.thrown().size();
        try (JsonWebSocket bystander = JsonWebSocket.connect(hub.ws());
             RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
            assertTrue(client.readText(WAIT).contains("\"connected\""), "connected first");
            broken.send(client);
            RawWebSocket.Frame answer = nextNonText(client);
            assertTrue(answer.isClose() && answer.fin(), what + ": the answer is a close frame, not HTTP bytes: " + answer);
            assertEquals(code, answer.closeCode(), what + ": " + answer.closeReason());
            bystander.nextOfType("connected", WAIT);
            bystander.send("{\"type\":\"ping\",\"data\":{\"m\":\"still\"}}");
            assertEquals("pong", bystander.nextOfType("pong", WAIT).path("type").asText(), "everyone else is still served");
        }
        assertEquals(thrownBefore, log.thrown().size(), what + ": no stack trace logged: " + log.thrown());
    }

    /**
     * A frame declaring more than the frame limit (8 GiB here) is answered with 1009 as the next frame and
     * nothing after it, even with answers to earlier frames still on their way, and the hub counts the
     * connection closed with 1009: Helidon's own check closed with 1009 while the hub counted 1006 and its
     * writer could still send frames after the close frame.
     */
    @Test
    void aFrameOverTheFrameLimitIsAnswered1009AndNothingAfter() throws Exception {
        int thrownBefore = log.thrown().size();
        try (RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
            String connected = client.readText(WAIT);
            String id = JsonWebSocket.json().readTree(connected).path("data").path("connectionId").asText();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                stream.writeBytes(maskedFrame(0x80 | 0x9, new byte[] {'p'}));
            }
            stream.writeBytes(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 2, 0, 0, 0, 0, 1, 2, 3, 4});
            client.sendRaw(stream.toByteArray());
            RawWebSocket.Frame answer = client.readFrame(WAIT);
            while (answer.isPong()) {
                answer = client.readFrame(WAIT);
            }
            assertTrue(answer.isClose(), "a close frame after the pongs: " + answer);
            assertEquals(1009, answer.closeCode(), answer.closeReason());
            assertThrows(java.io.EOFException.class, () -> client.readFrame(WAIT), "nothing after the close frame");
            String closedLine = "connection closed id=" + id + " ";
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (log.lines().stream().noneMatch(l -> l.startsWith(closedLine)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String line = log.lines().stream().filter(l -> l.startsWith(closedLine)).findFirst().orElse("(no close line)");
            assertTrue(line.endsWith(" code=1009"), line);
        }
        assertEquals(thrownBefore, log.thrown().size(), "no stack trace logged: " + log.thrown());
    }

    /** Well-formed but unusual: a control frame between the fragments of a message, a close with a UTF-8 reason. */
    @Test
    void politeButUnusualFramesAreServed() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
            client.readText(WAIT);
            client.sendFrame(0x1, false, "{\"type\":\"ping\",".getBytes(StandardCharsets.UTF_8));
            client.sendFrame(0x9, true, "hb".getBytes(StandardCharsets.UTF_8));
            client.sendFrame(0x0, false, "\"data\":{\"m\":\"✓".getBytes(StandardCharsets.UTF_8));
            client.sendFrame(0x0, true, "\"}}".getBytes(StandardCharsets.UTF_8));
            assertTrue(client.readFrame(WAIT).isPong(), "the ping between the fragments is answered");
            String pong = client.readText(WAIT);
            assertEquals("✓", JsonWebSocket.json().readTree(pong).path("data").path("m").asText(), "the fragmented message arrives whole: " + pong);
            client.sendClose(4000, "bye ✓");
            assertEquals(1000, client.awaitClose(WAIT).closeCode());
        }
    }

    /** A character cut between two fragments of a text message arrives whole, however the fragments and bytes are split. */
    @Test
    void aCharacterCutBetweenFragmentsArrivesWhole() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
            client.readText(WAIT);
            byte[] message = "{\"type\":\"ping\",\"data\":{\"m\":\"é✓🚀\"}}".getBytes(StandardCharsets.UTF_8);
            int start = "{\"type\":\"ping\",\"data\":{\"m\":\"".length();
            // cut inside é (2 bytes), inside ✓ (3 bytes), inside 🚀 (4 bytes), with a ping between two fragments
            int[] cuts = {start + 1, start + 3, start + 6, start + 8};
            int from = 0;
            for (int c = 0; c <= cuts.length; c++) {
                int to = c < cuts.length ? cuts[c] : message.length;
                client.sendFrame(c == 0 ? 0x1 : 0x0, c == cuts.length, java.util.Arrays.copyOfRange(message, from, to));
                if (c == 1) {
                    client.sendFrame(0x9, true, "hb".getBytes(StandardCharsets.UTF_8));
                }
                from = to;
            }
            assertTrue(client.readFrame(WAIT).isPong(), "the ping between the fragments is answered");
            String pong = client.readText(WAIT);
            assertEquals("é✓🚀", JsonWebSocket.json().readTree(pong).path("data").path("m").asText(), pong);
        }
    }

    /** Any cut of a text message into fragments (empty ones included) arrives as the message sent. */
    @Test
    void textMessagesCutAnywhereArriveAsSent() throws Exception {
        java.util.Random random = new java.util.Random(13);
        try (RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
            client.readText(WAIT);
            for (int round = 0; round < 10; round++) { // within the inbound burst (10)
                String text = "aé✓🚀€" + round + "ü中";
                byte[] message = ("{\"type\":\"ping\",\"data\":{\"m\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8);
                int from = 0;
                boolean first = true;
                while (from < message.length) {
                    int to = Math.min(message.length, from + random.nextInt(6));
                    client.sendFrame(first ? 0x1 : 0x0, to == message.length, java.util.Arrays.copyOfRange(message, from, to));
                    first = false;
                    from = to;
                }
                String pong = client.readText(WAIT);
                assertEquals(text, JsonWebSocket.json().readTree(pong).path("data").path("m").asText(), "round " + round + ": " + pong);
            }
        }
    }

    private static RawWebSocket.Frame nextNonText(RawWebSocket client) throws Exception {
        while (true) {
            RawWebSocket.Frame frame = client.readFrame(WAIT);
            if (!frame.isText()) {
                return frame;
            }
        }
    }

    private static byte[] maskedFrame(int first, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(first);
        frame.write(0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.bootstrap.NumberedEvents.assertExactly;
import static io.switchboard.bootstrap.NumberedEvents.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC 8 "Heartbeat": the hub pings, closes clients that stop answering with 4011, and answers pings itself. */
class HeartbeatTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ROOM = "demo:1";
    private static final Map<String, String> FAST_HEARTBEAT = Map.of(
            "hub.heartbeat.interval", "300ms",
            "hub.heartbeat.timeout", "300ms");

    @Test
    void clientThatNeverAnswersPingsIsClosedWith4011() throws Exception {
        try (TestHub hub = TestHub.start(FAST_HEARTBEAT);
             RawWebSocket silent = RawWebSocket.connect(hub.ws(), Map.of())) {
            JsonNode heartbeat = parse(silent.readText(WAIT)).path("data").path("heartbeat");
            assertEquals(300, heartbeat.path("intervalMs").asInt(), heartbeat.toString());
            assertEquals(300, heartbeat.path("timeoutMs").asInt(), heartbeat.toString());

            List<RawWebSocket.Frame> frames = new ArrayList<>();
            RawWebSocket.Frame frame;
            do {
                frame = silent.readFrame(WAIT);
                frames.add(frame);
            } while (!frame.isClose());

            assertTrue(frames.getFirst().isPing(), "the hub pings first: " + frames);
            RawWebSocket.Frame notice = frames.get(frames.size() - 2);
            assertTrue(notice.isText(), "a disconnect message precedes the close: " + frames);
            JsonNode disconnect = parse(notice.text());
            assertEquals("disconnect", disconnect.path("type").asText(), disconnect.toString());
            assertEquals(4011, disconnect.path("data").path("code").asInt(), disconnect.toString());
            assertTrue(disconnect.path("data").path("reconnect").booleanValue(), disconnect.toString());
            assertEquals(4011, frame.closeCode(), frame.toString());
        }
    }

    /** Over several intervals, both a hand-answering client and the JDK's (which pongs by itself) stay. */
    @Test
    void clientsThatAnswerPingsStayConnectedAndKeepReceiving() throws Exception {
        try (TestHub hub = TestHub.start(FAST_HEARTBEAT);
             RawWebSocket answering = RawWebSocket.connect(hub.ws(), Map.of());
             JsonWebSocket browserLike = JsonWebSocket.connect(hub.ws())) {
            assertEquals("connected", parse(nextTextAnsweringPings(answering)).path("type").asText());

            int pings = 0;
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end) {
                RawWebSocket.Frame frame;
                try {
                    frame = answering.readFrame(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
                } catch (SocketTimeoutException quietUntilTheEnd) {
                    break;
                }
                assertTrue(frame.isPing(), "only pings expected while idle, got " + frame);
                answering.sendPong(frame.payload());
                pings++;
            }
            assertTrue(pings >= 3, "pings every 300 ms for 2 s, got " + pings);
            assertFalse(browserLike.closeCode().isDone(), "closed with " + browserLike.closeCode().getNow(null)
                    + " \"" + browserLike.closeReason() + '"');

            answering.sendText("{\"type\":\"join\",\"data\":{\"room\":\"" + ROOM + "\"}}");
            assertEquals("joined", parse(nextTextAnsweringPings(answering)).path("type").asText());
            browserLike.join(ROOM);
            browserLike.nextOfType("joined", WAIT);

            NumberedEvents.publish(hub, ROOM, 1, 1);
            assertExactly(List.of(parse(nextTextAnsweringPings(answering))), ROOM, 1, 1);
            assertExactly(browserLike.nextEvents(1, WAIT), ROOM, 1, 1);
        }
    }

    @Test
    void hubAnswersAClientPingWithAPongCarryingTheSamePayload() throws Exception {
        try (TestHub hub = TestHub.start(); RawWebSocket client = RawWebSocket.connect(hub.ws(), Map.of())) {
            assertEquals("connected", parse(client.readText(WAIT)).path("type").asText());
            byte[] payload = "are-you-there-42".getBytes(StandardCharsets.UTF_8);

            client.sendPing(payload);

            RawWebSocket.Frame frame = client.readFrame(WAIT);
            assertTrue(frame.isPong(), "expected a pong, got " + frame);
            assertArrayEquals(payload, frame.payload());
        }
    }

    /** Reads the next text message, answering the hub's pings on the way as a live client would. */
    private static String nextTextAnsweringPings(RawWebSocket client) throws Exception {
        while (true) {
            RawWebSocket.Frame frame = client.readFrame(WAIT);
            if (frame.isPing()) {
                client.sendPong(frame.payload());
            } else {
                assertTrue(frame.isText() && frame.fin(), "expected a text message, got " + frame);
                return frame.text();
            }
        }
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.bootstrap.NumberedEvents.assertExactly;
import static io.switchboard.bootstrap.NumberedEvents.roomEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC 6 "Order" and "Resume", and SPEC 3.1 batching, as a WebSocket client sees them. */
class DeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "demo:1";

    @Test
    void joinedClientReceivesEveryEventInPublishOrder() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = connect(hub.ws())) {
            join(client, ROOM, null);

            List<String> ids = NumberedEvents.publish(hub, ROOM, 1, 1000);

            List<JsonNode> events = client.nextEvents(1000, WAIT);
            assertExactly(events, ROOM, 1, 1000);
            assertEquals(ids, events.stream().map(e -> e.path("id").asText()).toList(),
                    "clients see the ids the publisher was given");
            assertNothingMoreFor(client, ROOM, 1000);
        }
    }

    @Test
    void joinWithSinceReplaysExactlyTheGapThenLive() throws Exception {
        try (TestHub hub = TestHub.start()) {
            String lastSeen;
            try (JsonWebSocket first = connect(hub.ws())) {
                join(first, ROOM, null);
                NumberedEvents.publish(hub, ROOM, 1, 3);
                lastSeen = first.nextEvents(3, WAIT).getLast().path("id").asText();
            }
            List<String> missed = NumberedEvents.publish(hub, ROOM, 4, 8);

            try (JsonWebSocket second = connect(hub.ws())) {
                JsonNode joined = join(second, ROOM, lastSeen).path("data");
                assertEquals(Boolean.TRUE, booleanField(joined, "recovered"), joined.toString());
                assertEquals(missed.getLast(), joined.path("lastId").asText(), joined.toString());
                assertExactly(nextMessages(second, 5), ROOM, 4, 8);

                NumberedEvents.publish(hub, ROOM, 9, 9);
                assertExactly(nextMessages(second, 1), ROOM, 9, 9);
            }
        }
    }

    @Test
    void sinceOlderThanTheHistoryIsReportedAsTrimmedWithoutReplay() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.history.max-events", "10"));
             JsonWebSocket client = connect(hub.ws())) {
            List<String> ids = NumberedEvents.publish(hub, ROOM, 1, 30);

            JsonNode joined = join(client, ROOM, ids.getFirst()).path("data");
            assertEquals(Boolean.FALSE, booleanField(joined, "recovered"), joined.toString());
            assertEquals("history_trimmed", joined.path("reason").asText(), joined.toString());
            assertEquals(ids.get(20), joined.path("oldestId").asText(), "the oldest of the 10 held: " + joined);
            assertEquals(ids.getLast(), joined.path("lastId").asText(), joined.toString());

            assertLiveEventIsNextMessage(hub, client, 31);
        }
    }

    @Test
    void sinceAheadOfTheRoomIsAnUnknownPosition() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = connect(hub.ws())) {
            List<String> ids = NumberedEvents.publish(hub, ROOM, 1, 3);
            String ahead = Long.toString(Long.parseLong(ids.getLast()) + 1000);

            JsonNode joined = join(client, ROOM, ahead).path("data");
            assertEquals(Boolean.FALSE, booleanField(joined, "recovered"), joined.toString());
            assertEquals("unknown_position", joined.path("reason").asText(), joined.toString());

            assertLiveEventIsNextMessage(hub, client, 4);
        }
    }

    /** Ids of this in-memory run start at the process's start time in microseconds; "1" is from an earlier run. */
    @Test
    void sinceFromAnEarlierRunOfTheStreamIsAReset() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = connect(hub.ws())) {
            List<String> ids = NumberedEvents.publish(hub, ROOM, 1, 3);

            JsonNode joined = join(client, ROOM, "1").path("data");
            assertEquals(Boolean.FALSE, booleanField(joined, "recovered"), joined.toString());
            assertEquals("stream_reset", joined.path("reason").asText(), joined.toString());
            assertEquals(ids.getFirst(), joined.path("oldestId").asText(), joined.toString());

            assertLiveEventIsNextMessage(hub, client, 4);
        }
    }

    @Test
    void sinceThatIsNotAnIdIsRejectedAndTheConnectionKeepsWorking() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = connect(hub.ws())) {
            client.send("{\"type\":\"join\",\"ref\":\"j1\",\"data\":{\"room\":\"" + ROOM + "\",\"since\":\"yesterday\"}}");

            JsonNode error = client.next(WAIT);
            assertEquals("error", error.path("type").asText(), error.toString());
            assertEquals("MESSAGE_INVALID", error.path("data").path("code").asText(), error.toString());
            assertEquals("j1", error.path("data").path("ref").asText(), error.toString());

            NumberedEvents.publish(hub, ROOM, 1, 1);
            assertNothingMoreFor(client, ROOM, 0); // the refused join did not subscribe

            join(client, ROOM, null);
            assertLiveEventIsNextMessage(hub, client, 2);
        }
    }

    /**
     * Clients resume from different points while events keep coming: each must get one contiguous,
     * duplicate-free run from its {@code since} to the last event, across the replay→live hand-over.
     */
    @Test
    void resumingWhilePublishingHandsOverFromReplayToLiveWithoutGapOrDuplicate() throws Exception {
        int total = 2000;
        int perRequest = 10;
        int[] joinAfter = {200, 400, 600, 800, 1000, 1200, 1400, 1600};
        int replayLength = 150;
        // The queue holds every event: this test is about the hand-over, and a reader slowed by a busy
        // machine must not be cut off as a slow consumer (SlowConsumerTest covers that).
        try (TestHub hub = TestHub.start(Map.of("hub.history.max-events", "5000",
                "hub.connection.outbound-max-messages", "5000", "hub.connection.outbound-max-bytes", "16777216"))) {
            Map<Integer, String> idOfSeq = new ConcurrentHashMap<>();
            AtomicInteger published = new AtomicInteger();
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                for (int from = 1; from <= total; from += perRequest) {
                    List<String> ids = NumberedEvents.publish(hub, ROOM, from, from + perRequest - 1);
                    for (int i = 0; i < ids.size(); i++) {
                        idOfSeq.put(from + i, ids.get(i));
                    }
                    published.set(from + perRequest - 1);
                }
            });

            List<JsonWebSocket> clients = new ArrayList<>();
            try {
                int[] sinceSeq = new int[joinAfter.length];
                for (int i = 0; i < joinAfter.length; i++) {
                    awaitAtLeast(published, joinAfter[i], publisher);
                    sinceSeq[i] = joinAfter[i] - replayLength;
                    JsonWebSocket client = connect(hub.ws());
                    clients.add(client);
                    client.join(ROOM, idOfSeq.get(sinceSeq[i]));
                }
                publisher.get(60, TimeUnit.SECONDS);

                for (int i = 0; i < clients.size(); i++) {
                    JsonWebSocket client = clients.get(i);
                    JsonNode joined = client.next(WAIT);
                    assertEquals("joined", joined.path("type").asText(), "client " + i + ": " + joined);
                    assertEquals(Boolean.TRUE, booleanField(joined.path("data"), "recovered"), "client " + i + ": " + joined);
                    int expected = total - sinceSeq[i];
                    assertExactly(client.nextEvents(expected, Duration.ofSeconds(30)), ROOM, sinceSeq[i] + 1, total);
                    assertNothingMoreFor(client, ROOM, expected);
                }
            } finally {
                publisher.cancel(true);
                clients.forEach(JsonWebSocket::close);
            }
        }
    }

    /** With {@code ?batch=1} several messages share one frame; without it, every message is its own frame. */
    @Test
    void batchingClientGetsSeveralEventsPerFrameInOrder() throws Exception {
        int burst = 500;
        try (TestHub hub = TestHub.start();
             JsonWebSocket batching = connect(hub.ws("?batch=1"));
             JsonWebSocket plain = connect(hub.ws())) {
            join(batching, ROOM, null);
            join(plain, ROOM, null);

            NumberedEvents.publish(hub, ROOM, 1, burst);

            assertExactly(batching.nextEvents(burst, WAIT), ROOM, 1, burst);
            assertExactly(plain.nextEvents(burst, WAIT), ROOM, 1, burst);
            int batchedMessages = batching.history().size();
            assertTrue(batching.framesReceived() < batchedMessages,
                    batching.framesReceived() + " frames carried " + batchedMessages + " messages: nothing was batched");
            assertEquals(plain.history().size(), plain.framesReceived(), "without batch=1 each message is one frame");
        }
    }

    /**
     * Batches are joined from each event's shared encoded frame: multi-byte UTF-8, frames past 125
     * bytes (two more length bytes) and batches past 64 KiB (split into several messages) arrive intact.
     */
    @Test
    void batchedEventsArriveByteForByteWithMultiByteTextAndLargeBatches() throws Exception {
        String text = "Zoë ✓ 🚀 " + "ü".repeat(300);
        int count = 400; // ~ 700 bytes each: the burst needs several 64 KiB batches
        try (TestHub hub = TestHub.start(); JsonWebSocket batching = connect(hub.ws("?batch=1"))) {
            join(batching, ROOM, null);
            var events = JsonWebSocket.json().createArrayNode();
            for (int seq = 1; seq <= count; seq++) {
                events.addObject().put("room", ROOM).put("type", NumberedEvents.TYPE)
                        .putObject("data").put("seq", seq).put("text", text);
            }
            assertEquals(202, hub.publish(events.toString()).statusCode());

            List<JsonNode> received = batching.nextEvents(count, WAIT);
            assertExactly(received, ROOM, 1, count);
            for (JsonNode event : received) {
                assertEquals(text, event.path("data").path("text").asText(), "text of event " + event.path("id"));
            }
            assertTrue(batching.framesReceived() > 1, "400 events of ~700 bytes cannot fit one 64 KiB batch");
            assertTrue(batching.framesReceived() < count, "nothing was batched");
        }
    }

    @Test
    void clientReceivesOnlyTheRoomsItIsInAndNothingAfterLeaving() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = connect(hub.ws())) {
            join(client, "demo:a", null);

            NumberedEvents.publish(hub, "demo:b", 1, 5);
            NumberedEvents.publish(hub, "demo:a", 1, 2);
            assertExactly(client.nextEvents(2, WAIT), "demo:a", 1, 2);
            assertNothingMoreFor(client, "demo:b", 0);

            client.leave("demo:a");
            JsonNode left = client.next(WAIT);
            assertEquals("left", left.path("type").asText(), left.toString());
            assertEquals("demo:a", left.path("data").path("room").asText(), left.toString());

            NumberedEvents.publish(hub, "demo:a", 3, 4);
            assertNothingMoreFor(client, "demo:a", 2);
        }
    }

    // ---- helpers ----

    private static JsonWebSocket connect(URI uri) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(uri);
        JsonNode connected = client.next(WAIT);
        assertEquals("connected", connected.path("type").asText(), connected.toString());
        return client;
    }

    /** Joins and returns the answer, which must be the very next message (before any replayed event). */
    private static JsonNode join(JsonWebSocket client, String room, String since) {
        client.join(room, since);
        JsonNode joined = client.next(WAIT);
        assertEquals("joined", joined.path("type").asText(), joined.toString());
        assertEquals(room, joined.path("data").path("room").asText(), joined.toString());
        return joined;
    }

    /** The next {@code count} messages of any kind, so an unexpected message in between fails the test. */
    private static List<JsonNode> nextMessages(JsonWebSocket client, int count) {
        List<JsonNode> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(client.next(WAIT));
        }
        return messages;
    }

    /** Publishes event {@code seq} and expects it to be the client's very next message: nothing was replayed. */
    private static void assertLiveEventIsNextMessage(TestHub hub, JsonWebSocket client, int seq) {
        NumberedEvents.publish(hub, ROOM, seq, seq);
        assertExactly(nextMessages(client, 1), ROOM, seq, seq);
    }

    /**
     * Asserts that, of {@code room}, exactly {@code expected} events were received. A ping's pong travels
     * through the same queue as events, so anything published before the ping has arrived by its pong.
     */
    private static void assertNothingMoreFor(JsonWebSocket client, String room, int expected) {
        String token = "barrier-" + System.nanoTime();
        client.send("ping", Map.of("token", token));
        JsonNode pong = client.nextOfType("pong", WAIT);
        assertEquals(token, pong.path("data").path("token").asText(), pong.toString());
        long received = roomEvents(client.history()).stream().filter(e -> room.equals(e.path("room").asText())).count();
        assertEquals(expected, received, "events of " + room + " received");
    }

    private static Boolean booleanField(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value != null && value.isBoolean() ? value.booleanValue() : null;
    }

    private static void awaitAtLeast(AtomicInteger published, int count, CompletableFuture<Void> publisher)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (published.get() < count) {
            if (publisher.isDone()) {
                publisher.get(); // surfaces the publisher's failure
            }
            assertFalse(System.nanoTime() > deadline, "only " + published.get() + " events published in 30 s");
            Thread.sleep(1);
        }
    }
}

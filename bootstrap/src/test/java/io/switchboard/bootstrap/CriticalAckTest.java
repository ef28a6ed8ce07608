package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.switchboard.bootstrap.ThrottlingTest.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC 6 "Critical events": {@code "ack": true}, re-sent with the same id until acknowledged, then given up. */
class CriticalAckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "task:1";
    /** Three ack timeouts: long enough for a re-send that is due to have come. */
    private static final long QUIET_MS = 900;

    private static TestHub hub() {
        return TestHub.startWithYaml("""
                hub:
                  namespaces:
                    task:
                      ack-timeout: 300ms
                      ack-retries: 2
                """, Map.of());
    }

    @Test
    void anUnacknowledgedCriticalEventIsSentAgainWithTheSameIdThenGivenUp() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket client = joined(hub)) {
            String id = publish(hub, ROOM, "task_update", "{\"status\":\"failed\"}", null, true);

            JsonNode original = client.nextEvents(1, WAIT).getFirst();
            assertEquals(id, original.path("id").asText());
            assertTrue(original.path("ack").asBoolean(), "a critical event asks for an ack: " + original);

            JsonNode first = client.nextEvents(1, WAIT).getFirst();
            JsonNode second = client.nextEvents(1, WAIT).getFirst();
            assertEquals(original, first, "the same frame again, same id, after ack-timeout");
            assertEquals(original, second, "ack-retries: 2 re-sends");

            awaitMetric(hub, "switchboard_critical_unacknowledged_total", 1);
            assertEquals(2, metric(hub, "switchboard_critical_resent_total"));
            JsonNode critical = JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body()).path("events").path("critical");
            assertEquals(2, critical.path("resent").asLong(), "stats agree: " + critical);
            assertEquals(1, critical.path("unacknowledged").asLong(), "stats agree: " + critical);
            String marker = publish(hub, ROOM, "marker", "{}", null, false);
            assertEquals(marker, client.nextEvents(1, WAIT).getFirst().path("id").asText(), "no third re-send");
        }
    }

    @Test
    void anAcknowledgedCriticalEventIsNotSentAgain() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket client = joined(hub)) {
            String id = publish(hub, ROOM, "task_update", "{\"status\":\"failed\"}", null, true);
            assertEquals(id, client.nextEvents(1, WAIT).getFirst().path("id").asText());
            client.send("ack", Map.of("id", id));

            Thread.sleep(QUIET_MS);
            String marker = publish(hub, ROOM, "marker", "{}", null, false);
            assertEquals(marker, client.nextEvents(1, WAIT).getFirst().path("id").asText(), "acknowledged: never sent again");
            assertEquals(0, metric(hub, "switchboard_critical_resent_total"));
            assertEquals(0, metric(hub, "switchboard_critical_unacknowledged_total"));
        }
    }

    @Test
    void anAckAfterAResendStopsTheResends() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket client = joined(hub)) {
            String id = publish(hub, ROOM, "task_update", "{}", null, true);
            List<JsonNode> twice = client.nextEvents(2, WAIT);
            assertEquals(List.of(id, id), ThrottlingTest.idsOf(twice));
            client.send("{\"type\":\"ack\",\"data\":{\"id\":\"" + id + "\",\"room\":\"" + ROOM + "\"}}");

            Thread.sleep(QUIET_MS);
            String marker = publish(hub, ROOM, "marker", "{}", null, false);
            assertEquals(marker, client.nextEvents(1, WAIT).getFirst().path("id").asText());
            assertEquals(0, metric(hub, "switchboard_critical_unacknowledged_total"));
        }
    }

    @Test
    void leavingTheRoomStopsTheResends() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket client = joined(hub)) {
            publish(hub, ROOM, "task_update", "{}", null, true);
            client.nextEvents(1, WAIT);
            client.leave(ROOM);
            assertEquals("left", client.next(WAIT).path("type").asText());

            Thread.sleep(QUIET_MS);
            client.send("ping", Map.of());
            JsonNode next = client.next(WAIT);
            assertEquals("pong", next.path("type").asText(), "nothing of the room left: " + next);
        }
    }

    /** Dialect clients send their fields at top level or under {@code payload}; both are understood. */
    @Test
    void theAckIdMayStandAtTopLevelOrUnderPayload() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket client = joined(hub)) {
            String a = publish(hub, ROOM, "task_update", "{}", null, true);
            String b = publish(hub, ROOM, "task_update", "{}", null, true);
            assertEquals(List.of(a, b), ThrottlingTest.idsOf(client.nextEvents(2, WAIT)));
            client.send("{\"type\":\"ack\",\"id\":\"" + a + "\"}");
            client.send("{\"type\":\"ack\",\"payload\":{\"id\":\"" + b + "\"}}");

            Thread.sleep(QUIET_MS);
            String marker = publish(hub, ROOM, "marker", "{}", null, false);
            assertEquals(marker, client.nextEvents(1, WAIT).getFirst().path("id").asText());
        }
    }

    @Test
    void anAckWithoutAValidIdIsInvalidAndAnAckOfAnUnknownIdIsIgnored() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket client = joined(hub)) {
            client.send("{\"type\":\"ack\",\"ref\":\"a1\",\"data\":{}}");
            JsonNode missing = client.next(WAIT);
            assertEquals("MESSAGE_INVALID", missing.path("data").path("code").asText(), missing.toString());
            assertEquals("a1", missing.path("data").path("ref").asText(), missing.toString());

            client.send("{\"type\":\"ack\",\"ref\":\"a2\",\"data\":{\"id\":\"yesterday\"}}");
            JsonNode notAnId = client.next(WAIT);
            assertEquals("MESSAGE_INVALID", notAnId.path("data").path("code").asText(), notAnId.toString());
            assertEquals("a2", notAnId.path("data").path("ref").asText(), notAnId.toString());

            client.send("{\"type\":\"ack\",\"ref\":\"a3\",\"data\":{\"id\":\"12345\",\"room\":\"no room!\"}}");
            JsonNode badRoom = client.next(WAIT);
            assertEquals("MESSAGE_INVALID", badRoom.path("data").path("code").asText(), badRoom.toString());

            client.send("{\"type\":\"ack\",\"data\":{\"id\":\"12345\"}}");
            client.send("ping", Map.of("after", "unknown ack"));
            JsonNode next = client.next(WAIT);
            assertEquals("pong", next.path("type").asText(), "an ack of an id nothing waits for gets no answer: " + next);
        }
    }

    @Test
    void ordinaryEventsAskForNoAck() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket client = joined(hub)) {
            publish(hub, ROOM, "task_update", "{}", null, false);
            JsonNode event = client.nextEvents(1, WAIT).getFirst();
            assertFalse(event.has("ack"), event.toString());
        }
    }

    @Test
    void badAckSettingsFailTheStartNamingTheKey() {
        StartupException retries = assertThrows(StartupException.class, () -> TestHub.startWithYaml("""
                hub:
                  namespaces:
                    task:
                      ack-retries: many
                """, Map.of()));
        assertTrue(retries.getMessage().contains("hub.namespaces.task.ack-retries"), retries.getMessage());
        StartupException timeout = assertThrows(StartupException.class, () -> TestHub.startWithYaml("""
                hub:
                  namespaces:
                    task:
                      ack-timeout: 0s
                """, Map.of()));
        assertTrue(timeout.getMessage().contains("hub.namespaces.task.ack-timeout"), timeout.getMessage());
    }

    private static JsonWebSocket joined(TestHub hub) throws IOException {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws());
        client.join(ROOM);
        client.nextOfType("joined", WAIT);
        return client;
    }

    static long metric(TestHub hub, String name) {
        for (String line : hub.get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private static void awaitMetric(TestHub hub, String name, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long value;
        while ((value = metric(hub, name)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, value, name);
    }
}

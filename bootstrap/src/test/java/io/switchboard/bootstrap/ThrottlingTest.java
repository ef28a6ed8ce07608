package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SPEC 6 "Coalescing / throttling" as a WebSocket client sees it: first and latest per key, critical bypass, order, full replay. */
class ThrottlingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "user:1";

    private static TestHub hubThrottling(String window) {
        return TestHub.startWithYaml("""
                hub:
                  namespaces:
                    user:
                      throttle: %s
                """.formatted(window), Map.of());
    }

    @Test
    void twentyKeyedEventsWithinOneWindowReachTheClientAsTheFirstAndTheLast() throws Exception {
        try (TestHub hub = hubThrottling("1s"); JsonWebSocket client = joined(hub, ROOM)) {
            List<String> ids = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 1; i <= 20; i++) {
                ids.add(publish(hub, ROOM, "dashboard_update", "{\"n\":" + i + "}", "dashboard", false));
                Thread.sleep(10);
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assumeTrue(elapsedMs < 900, "the 20 publishes took " + elapsedMs + " ms, more than one window on this machine");

            List<JsonNode> events = client.nextEvents(2, WAIT);
            assertEquals(List.of(ids.getFirst(), ids.getLast()), idsOf(events), "the first at once, the latest at the window's end");
            assertEquals(1, events.get(0).path("data").path("n").asInt(), events.toString());
            assertEquals(20, events.get(1).path("data").path("n").asInt(), events.toString());
            assertFalse(events.get(0).has("ack"), "not critical: no ack asked " + events.get(0));

            String marker = publish(hub, ROOM, "marker", "{}", null, false);
            assertEquals(marker, client.nextEvents(1, WAIT).getFirst().path("id").asText(), "nothing else was delivered");

            JsonNode stats = JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body());
            assertEquals(18, stats.path("events").path("throttled").asLong(), stats.toString());
            assertTrue(hub.get("/metrics").body().contains("\nswitchboard_events_throttled_total 18\n"), "metrics count them too");

            try (JsonWebSocket resumed = JsonWebSocket.connect(hub.ws())) {
                resumed.join(ROOM, Long.toString(Long.parseLong(ids.getFirst()) - 1));
                assertEquals("joined", resumed.nextOfType("joined", WAIT).path("type").asText());
                List<String> replayed = idsOf(resumed.nextEvents(21, WAIT));
                List<String> expected = new ArrayList<>(ids);
                expected.add(marker);
                assertEquals(expected, replayed, "a resume reads the log, which holds every event: coalescing is live-only");
            }
        }
    }

    @Test
    void criticalEventsBypassTheWindowAndReplaceTheHeldValueOfTheirKey() throws Exception {
        try (TestHub hub = hubThrottling("1m"); JsonWebSocket client = joined(hub, ROOM)) {
            String first = publish(hub, ROOM, "dashboard_update", "{\"n\":1}", "dashboard", false);
            publish(hub, ROOM, "dashboard_update", "{\"n\":2}", "dashboard", false);
            String critical = publish(hub, ROOM, "dashboard_update", "{\"n\":3}", "dashboard", true);

            List<JsonNode> events = client.nextEvents(2, WAIT);
            assertEquals(List.of(first, critical), idsOf(events), "the critical one does not wait for the minute-long window");
            assertTrue(events.get(1).path("ack").asBoolean(), "critical events ask for an ack: " + events.get(1));

            String marker = publish(hub, ROOM, "marker", "{}", null, false);
            assertEquals(marker, client.nextEvents(1, WAIT).getFirst().path("id").asText(),
                    "the held value n=2 was superseded by the critical n=3 and is not sent after it");
            assertEquals(1, throttled(hub));
        }
    }

    @Test
    void anEventWithoutKeyFirstReleasesTheHeldOneSoTheRoomStaysInIdOrder() throws Exception {
        try (TestHub hub = hubThrottling("1m"); JsonWebSocket client = joined(hub, ROOM)) {
            String first = publish(hub, ROOM, "dashboard_update", "{\"n\":1}", "dashboard", false);
            String held = publish(hub, ROOM, "dashboard_update", "{\"n\":2}", "dashboard", false);
            String token = publish(hub, ROOM, "task_update", "{\"task\":7}", null, false);
            String otherKey = publish(hub, ROOM, "dashboard_update", "{\"n\":1}", "widget-2", false);

            assertEquals(List.of(first, held, token, otherKey), idsOf(client.nextEvents(4, WAIT)),
                    "the held one goes out before the event without key; nothing comes out of id order");
            assertEquals(0, throttled(hub), "nothing was superseded");
        }
    }

    @Test
    void eventsWithoutKeyAndEventsOfOtherNamespacesAreNeverCoalesced() throws Exception {
        try (TestHub hub = hubThrottling("1m"); JsonWebSocket client = joined(hub, ROOM)) {
            client.join("other:1");
            client.nextOfType("joined", WAIT);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ids.add(publish(hub, ROOM, "llm_token", "{\"i\":" + i + "}", null, false));
            }
            List<String> other = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                other.add(publish(hub, "other:1", "dashboard_update", "{\"i\":" + i + "}", "dashboard", false));
            }
            List<JsonNode> events = client.nextEvents(35, WAIT);
            assertEquals(ids, idsOf(events.stream().filter(e -> e.path("room").asText().equals(ROOM)).toList()));
            assertEquals(other, idsOf(events.stream().filter(e -> e.path("room").asText().equals("other:1")).toList()),
                    "namespace 'other' has no throttle");
            assertEquals(0, throttled(hub));
        }
    }

    @Test
    void aBadThrottleFailsTheStartNamingTheKey() {
        StartupException e = org.junit.jupiter.api.Assertions.assertThrows(StartupException.class, () -> hubThrottling("soon"));
        assertTrue(e.getMessage().contains("hub.namespaces.user.throttle"), e.getMessage());
    }

    private static JsonWebSocket joined(TestHub hub, String room) throws IOException {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws());
        client.join(room);
        client.nextOfType("joined", WAIT);
        return client;
    }

    /** Publishes one event and returns its id. */
    static String publish(TestHub hub, String room, String type, String data, String key, boolean critical) {
        var event = JsonWebSocket.json().createObjectNode().put("room", room).put("type", type);
        try {
            event.set("data", JsonWebSocket.json().readTree(data));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        if (key != null) {
            event.put("key", key);
        }
        if (critical) {
            event.put("critical", true);
        }
        HttpResponse<String> response = hub.publish(event.toString());
        assertEquals(202, response.statusCode(), response.body());
        try {
            return JsonWebSocket.json().readTree(response.body()).path("ids").path(room).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> idsOf(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    private static long throttled(TestHub hub) throws IOException {
        return JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body()).path("events").path("throttled").asLong();
    }
}

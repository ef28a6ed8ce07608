package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * SPEC 13: a subscription starts where it says, from the first moment the client can see it is open.
 * Each test publishes the instant the client's open event would fire (the {@code 101} read; the SSE
 * response headers read), as a page's {@code onopen} handler does, 500 times over, and the event must
 * arrive, as the first event of the subscription. Then it resumes from the last id it received and
 * must get exactly what it missed, once.
 */
class SubscriptionStartTest {
    private static final int ITERATIONS = 500;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.startWithYaml("""
                hub:
                  endpoints:
                    - path: /ws/dashboard
                      transport: websocket
                      rooms: [ "dashboard" ]
                    - path: /api/v1/proposals/{id}/events
                      transport: sse
                      rooms: [ "proposal:{id}" ]
                """, Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void anEventPublishedTheInstantAnAutoJoinedWebSocketOpensArrives() throws Exception {
        String lastId = null;
        for (int i = 0; i < ITERATIONS; i++) {
            try (RawWebSocket client = RawWebSocket.connect(ws("/ws/dashboard"), Map.of())) {
                publish("dashboard", i); // the 101 is read: this is the browser's onopen
                JsonNode event = nextEvent(client, "iteration " + i);
                assertEquals(i, event.path("data").path("n").asInt(), "iteration " + i + ": the first event after open");
                lastId = event.path("id").asText();
            }
        }
        List<String> missed = List.of(publish("dashboard", 1001), publish("dashboard", 1002), publish("dashboard", 1003));
        try (JsonWebSocket client = JsonWebSocket.connect(ws("/ws"))) {
            client.send("{\"type\":\"join\",\"data\":{\"room\":\"dashboard\",\"since\":\"" + lastId + "\"}}");
            JsonNode joined = client.nextOfType("joined", WAIT);
            assertEquals(true, joined.path("data").path("recovered").asBoolean(), joined.toString());
            List<String> replayed = new ArrayList<>();
            for (int i = 0; i < missed.size(); i++) {
                replayed.add(client.nextOfType("tick", WAIT).path("id").asText());
            }
            assertEquals(missed, replayed, "exactly what was missed, in order");
            client.send("{\"type\":\"ping\",\"data\":{\"marker\":\"end\"}}");
            assertEquals("pong", client.next(WAIT).path("type").asText(), "nothing more after the replay");
        }
    }

    @Test
    void anEventPublishedTheInstantAnSseStreamOpensArrives() throws Exception {
        assertEveryOpenHearsTheNextEvent(hub.http("/sse?rooms=stream:1"), "stream:1");
    }

    @Test
    void anEventPublishedTheInstantAConfiguredSseEndpointOpensArrives() throws Exception {
        assertEveryOpenHearsTheNextEvent(hub.http("/api/v1/proposals/42/events"), "proposal:42");
    }

    /** 500 opens each hear the event published right after the headers; then a resume from the last id gets the rest, once. */
    private static void assertEveryOpenHearsTheNextEvent(URI uri, String room) throws Exception {
        String lastId = null;
        for (int i = 0; i < ITERATIONS; i++) {
            try (SseClient sse = SseClient.open(uri, Map.of())) { // returns once the headers are read: EventSource.onopen
                assertEquals(200, sse.status());
                publish(room, i);
                SseClient.Block event = sse.nextEvents(1, WAIT).getFirst();
                assertEquals(i, event.json().path("data").path("n").asInt(), "iteration " + i + ": the first event after open");
                lastId = event.id();
                assertNotNull(lastId);
            }
        }
        List<String> missed = List.of(publish(room, 1001), publish(room, 1002), publish(room, 1003));
        try (SseClient sse = SseClient.open(uri, Map.of("Last-Event-ID", lastId))) {
            List<Integer> values = new ArrayList<>();
            for (SseClient.Block event : sse.nextEvents(missed.size(), WAIT)) {
                values.add(event.json().path("data").path("n").asInt());
            }
            assertEquals(List.of(1001, 1002, 1003), values, "exactly what was missed, in order");
            publish(room, 1004);
            assertEquals(1004, sse.nextEvents(1, WAIT).getFirst().json().path("data").path("n").asInt(), "then live, nothing twice");
        }
    }

    private static JsonNode nextEvent(RawWebSocket client, String what) throws IOException {
        while (true) {
            JsonNode message = JsonWebSocket.json().readTree(client.readText(WAIT));
            if (message.has("id") && message.has("room")) {
                return message;
            }
            assertEquals("connected", message.path("type").asText(), what + ": " + message);
        }
    }

    private static String publish(String room, int n) throws IOException {
        HttpResponse<String> response = hub.publish("{\"room\":\"" + room + "\",\"type\":\"tick\",\"data\":{\"n\":" + n + "}}");
        assertEquals(202, response.statusCode(), response.body());
        return JsonWebSocket.json().readTree(response.body()).path("ids").path(room).asText();
    }

    private static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + hub.port() + path);
    }
}

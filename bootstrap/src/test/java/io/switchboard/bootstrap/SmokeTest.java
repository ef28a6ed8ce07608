package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's tour, end to end: connect, join, publish with HTTP, see the event arrive. */
class SmokeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void publishedEventReachesAJoinedClient() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            JsonNode connected = client.nextOfType("connected", WAIT);
            assertTrue(connected.path("data").path("connectionId").asText().length() >= 20, connected.toString());
            client.join("demo:1");
            assertEquals("demo:1", client.nextOfType("joined", WAIT).path("data").path("room").asText());

            var response = hub.publish("{\"room\":\"demo:1\",\"type\":\"greeting\",\"data\":{\"text\":\"hello\"}}");
            assertEquals(202, response.statusCode(), response.body());

            JsonNode event = client.nextEvents(1, WAIT).getFirst();
            assertEquals("greeting", event.path("type").asText());
            assertEquals("demo:1", event.path("room").asText());
            assertEquals("hello", event.path("data").path("text").asText());
            String id = JsonWebSocket.json().readTree(response.body()).path("ids").path("demo:1").asText();
            assertEquals(id, event.path("id").asText());
        }
    }
}

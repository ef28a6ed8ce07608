package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upstream commands (SPEC 5): clients → hub → publishers on GET /api/v1/commands, at least once. */
class CommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aClientCommandReachesPublishersStampedWithItsConnection() throws Exception {
        try (TestHub hub = TestHub.start();
             JsonWebSocket client = JsonWebSocket.connect(hub.ws());
             SseClient publisher = SseClient.open(hub.http("/api/v1/commands"), Map.of())) {
            assertEquals(200, publisher.status());
            publisher.nextOfType("joined", WAIT);
            String connectionId = client.nextOfType("connected", WAIT).path("data").path("connectionId").asText();
            client.join("proposal:7");
            client.nextOfType("joined", WAIT);
            client.send("{\"type\":\"command\",\"data\":{\"room\":\"proposal:7\",\"name\":\"cancel\",\"data\":{\"iteration\":3}}}");

            SseClient.Block block = publisher.nextOfType("command", WAIT);
            JsonNode command = block.json().path("data");
            assertEquals("proposal:7", command.path("room").asText());
            assertEquals("cancel", command.path("name").asText());
            assertEquals(3, command.path("data").path("iteration").asInt());
            assertEquals(connectionId, command.path("connectionId").asText());
            assertTrue(command.path("timestamp").asText().endsWith("Z"), command.toString());
            assertEquals(block.json().path("id").asText(), block.id());
        }
    }

    @Test
    void aPublisherThatReconnectsGetsEveryCommandItMissed() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("proposal:1");
            client.nextOfType("joined", WAIT);
            String lastSeen;
            try (SseClient publisher = SseClient.open(hub.http("/api/v1/commands"), Map.of())) {
                publisher.nextOfType("joined", WAIT);
                sendCommand(client, "first");
                lastSeen = publisher.nextOfType("command", WAIT).id();
            }
            sendCommand(client, "second");
            sendCommand(client, "third");
            try (SseClient publisher = SseClient.open(hub.http("/api/v1/commands"), Map.of("Last-Event-ID", lastSeen))) {
                List<String> names = List.of(
                        publisher.nextOfType("command", WAIT).json().path("data").path("name").asText(),
                        publisher.nextOfType("command", WAIT).json().path("data").path("name").asText());
                assertEquals(List.of("second", "third"), names);
            }
        }
    }

    @Test
    void commandsNeedTheRoomJoinedAValidNameAndAreNotReadableAsARoom() throws Exception {
        try (TestHub hub = TestHub.start(); JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.send("{\"type\":\"command\",\"data\":{\"room\":\"proposal:9\",\"name\":\"cancel\"}}");
            assertEquals("FORBIDDEN", client.nextOfType("error", WAIT).path("data").path("code").asText());
            client.join("proposal:9");
            client.nextOfType("joined", WAIT);
            client.send("{\"type\":\"command\",\"data\":{\"room\":\"proposal:9\",\"name\":\"bad name!\"}}");
            JsonNode error = client.nextOfType("error", WAIT).path("data");
            assertEquals("MESSAGE_INVALID", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("name"), error.toString());
            client.join("$commands");
            assertEquals("FORBIDDEN", client.nextOfType("error", WAIT).path("data").path("code").asText());
        }
    }

    @Test
    void sseClientsSendCommandsOverHttpWithTheirConnectionId() throws Exception {
        try (TestHub hub = TestHub.start();
             SseClient listener = SseClient.open(hub.http("/sse?rooms=proposal:4"), Map.of());
             SseClient publisher = SseClient.open(hub.http("/api/v1/commands"), Map.of())) {
            String connectionId = listener.nextOfType("connected", WAIT).json().path("data").path("connectionId").asText();
            listener.nextOfType("joined", WAIT);
            publisher.nextOfType("joined", WAIT);

            var accepted = hub.post("/api/v1/rooms/proposal:4/commands",
                    "{\"connectionId\":\"" + connectionId + "\",\"name\":\"cancel\",\"data\":{\"iteration\":1}}", Map.of());
            assertEquals(202, accepted.statusCode(), accepted.body());
            assertEquals(connectionId, publisher.nextOfType("command", WAIT).json().path("data").path("connectionId").asText());

            var otherRoom = hub.post("/api/v1/rooms/proposal:5/commands",
                    "{\"connectionId\":\"" + connectionId + "\",\"name\":\"cancel\"}", Map.of());
            assertEquals(403, otherRoom.statusCode(), otherRoom.body());
            var unknown = hub.post("/api/v1/rooms/proposal:4/commands", "{\"connectionId\":\"nope\",\"name\":\"cancel\"}", Map.of());
            assertEquals(403, unknown.statusCode());
            assertEquals("FORBIDDEN", JsonWebSocket.json().readTree(unknown.body()).path("code").asText());
        }
    }

    @Test
    void theCommandStreamNeedsAPublisherCredentialWhenKeysAreConfigured() throws Exception {
        String key = "k-0123456789abcdef";
        try (TestHub hub = TestHub.start(Map.of("hub.publish.api-keys", key))) {
            var refused = hub.get("/api/v1/commands");
            assertEquals(401, refused.statusCode());
            assertEquals("AUTH_INVALID", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
            try (SseClient wrong = SseClient.open(hub.http("/api/v1/commands"), Map.of("Authorization", "Bearer k-wrong-key-000000"))) {
                assertEquals(401, wrong.status());
            }
            try (SseClient publisher = SseClient.open(hub.http("/api/v1/commands"), Map.of("Authorization", "Bearer " + key))) {
                assertEquals(200, publisher.status());
            }
        }
    }

    private static void sendCommand(JsonWebSocket client, String name) {
        client.send("{\"type\":\"command\",\"data\":{\"room\":\"proposal:1\",\"name\":\"" + name + "\"}}");
    }
}

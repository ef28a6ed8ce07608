package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default storage, H2 in the data directory: events outlive the hub process, even a killed one. */
class DurableStorageTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ROOM = "orders:1";

    @TempDir
    Path data;

    /** A client resuming across a restart gets exactly what it missed, then live events, nothing twice. */
    @Test
    void resumeAfterARestartReplaysExactlyTheMissedEvents() throws Exception {
        List<String> ids = new ArrayList<>();
        try (TestHub hub = TestHub.startDurable(data, Map.of())) {
            for (int n = 1; n <= 10; n++) {
                ids.add(TickEvents.acceptedId(hub.publish(TickEvents.tick(ROOM, n)), ROOM));
            }
        }
        String seen = ids.get(3);

        try (TestHub hub = TestHub.startDurable(data, Map.of());
             JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            JsonNode joined = joinSince(client, seen);
            assertEquals(ids.getLast(), joined.path("data").path("lastId").asText(), joined.toString());

            assertEquals(TickEvents.ticks(ids, 5, 10), client.nextEvents(6, WAIT).stream().map(TickEvents::describe).toList());
            String live = TickEvents.acceptedId(hub.publish(TickEvents.tick(ROOM, 11)), ROOM);
            JsonNode next = client.nextEvents(1, WAIT).getFirst();
            assertEquals(live + " n=11", TickEvents.describe(next), "the first event after the replay is the live one");
            assertEquals(Long.parseLong(ids.getLast()) + 1, Long.parseLong(live), "ids continue across the restart");
        }
    }

    /** WRITE_DELAY=0: once the publisher has its 202, a SIGKILL right after cannot take the event away. */
    @Test
    void acknowledgedEventsSurviveKillMinus9() throws Exception {
        List<String> ids = new ArrayList<>();
        try (HubProcess hub = HubProcess.start(data.resolve("first.log"), "--data", data.resolve("db").toString())) {
            for (int n = 1; n <= 2; n++) {
                ids.add(TickEvents.acceptedId(hub.publish(TickEvents.tick(ROOM, n)), ROOM));
            }
            hub.kill();
        }

        try (HubProcess hub = HubProcess.start(data.resolve("second.log"), "--data", data.resolve("db").toString());
             JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            JsonNode joined = joinSince(client, "0");
            assertEquals(ids.getLast(), joined.path("data").path("lastId").asText(), joined.toString());
            assertEquals(TickEvents.ticks(ids, 1, 2), client.nextEvents(2, WAIT).stream().map(TickEvents::describe).toList());
        }
    }

    @Test
    void secondHubOnTheSameDataDirectoryRefusesToStartAndSaysWhy() {
        String dir = data.resolve("db").toString();
        try (HubProcess first = HubProcess.start(data.resolve("first.log"), "--data", dir);
             HubProcess second = HubProcess.launch(data.resolve("second.log"), "--port", "0", "--data", dir)) {
            assertEquals(1, second.awaitExit(Duration.ofSeconds(30)), second.output());
            assertTrue(second.output().contains("data directory " + dir + " is in use by another process"), second.output());
            assertEquals(202, first.publish(TickEvents.tick(ROOM, 1)).statusCode(), "the first hub is unaffected");
        }
    }

    @Test
    void startupLogSaysWhereEventsAreKept() {
        try (HubProcess hub = HubProcess.start(data.resolve("hub.log"), "--data", data.resolve("db").toString())) {
            assertTrue(hub.output().contains("storage H2 file " + data.resolve("db").resolve("switchboard.mv.db")), hub.output());
        }
    }

    private static JsonNode joinSince(JsonWebSocket client, String since) {
        client.nextOfType("connected", WAIT);
        client.join(ROOM, since);
        JsonNode joined = client.nextOfType("joined", WAIT);
        assertTrue(joined.path("data").path("recovered").asBoolean(), joined.toString());
        return joined;
    }
}

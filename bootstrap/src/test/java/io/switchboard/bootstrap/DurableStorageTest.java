package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    /**
     * SPEC 17 with SPEC 7: a SIGKILL while 16 publishers publish to 4 rooms at once (their commits
     * grouped). Every 202 survives with its data, no event appears that no publisher sent or twice,
     * each room's ids are 1..n, and after the restart they continue above every acknowledged id.
     */
    @Test
    void acknowledgedEventsSurviveKillMinus9UnderConcurrentPublishersOnH2() throws Exception {
        String[] options = {"--data", data.resolve("db").toString()};
        killWhilePublishing(options);
    }

    /** The same on PostgreSQL (a new schema on the local server): a 202 means committed there. */
    @Test
    void acknowledgedEventsSurviveKillMinus9UnderConcurrentPublishersOnPostgres() throws Exception {
        TestSchema.requireServer(DurableStorageTest.class);
        String schema = TestSchema.create("sb_kill", DurableStorageTest.class);
        try {
            Path config = TestSchema.hubConfig(data.resolve("postgres.yaml"), schema, "");
            killWhilePublishing("--config", config.toString());
        } finally {
            TestSchema.drop(schema);
        }
    }

    private void killWhilePublishing(String... options) throws Exception {
        int publishers = 16;
        int rooms = 4;
        int maxEach = 50;
        Map<String, Map<Long, String>> acknowledged = new ConcurrentHashMap<>();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        CountDownLatch enough = new CountDownLatch(150);
        try (HubProcess hub = HubProcess.start(data.resolve("killed.log"), options)) {
            ExecutorService pool = Executors.newFixedThreadPool(publishers);
            List<Future<?>> publishing = new ArrayList<>();
            try {
                for (int p = 0; p < publishers; p++) {
                    int publisher = p;
                    publishing.add(pool.submit(() -> {
                        String room = "crash:" + publisher % rooms;
                        for (int i = 0; i < maxEach; i++) {
                            String tag = publisher + "-" + i;
                            sent.add(tag);
                            HttpResponse<String> response;
                            try {
                                response = hub.publish("{\"room\":\"" + room + "\",\"type\":\"tick\",\"data\":{\"tag\":\"" + tag + "\"}}");
                            } catch (RuntimeException killed) {
                                return null;
                            }
                            if (response.statusCode() != 202) {
                                return null;
                            }
                            long id = JsonWebSocket.json().readTree(response.body()).path("ids").path(room).asLong();
                            String earlier = acknowledged.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(id, tag);
                            assertEquals(null, earlier, "id " + room + "/" + id + " acknowledged twice");
                            enough.countDown();
                        }
                        return null;
                    }));
                }
                assertTrue(enough.await(60, TimeUnit.SECONDS), "150 events acknowledged before the kill");
                hub.kill();
            } finally {
                pool.shutdown();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "publishers stopped after the kill");
            }
            for (Future<?> publisher : publishing) {
                publisher.get();
            }
        }

        try (HubProcess hub = HubProcess.start(data.resolve("restarted.log"), options)) {
            Set<String> stored = new HashSet<>();
            for (int r = 0; r < rooms; r++) {
                String room = "crash:" + r;
                Map<Long, String> acked = acknowledged.getOrDefault(room, Map.of());
                try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
                    client.nextOfType("connected", WAIT);
                    client.join(room, "0");
                    JsonNode joined = client.nextOfType("joined", WAIT);
                    assertTrue(joined.path("data").path("recovered").asBoolean(), joined.toString());
                    long lastId = joined.path("data").path("lastId").asLong();
                    List<JsonNode> events = client.nextEvents((int) lastId, Duration.ofSeconds(20));
                    for (int k = 0; k < events.size(); k++) {
                        JsonNode event = events.get(k);
                        long id = event.path("id").asLong();
                        String tag = event.path("data").path("tag").asText();
                        assertEquals(k + 1, id, "ids of " + room + " are 1.." + lastId);
                        assertTrue(sent.contains(tag), "stored " + room + "/" + id + " '" + tag + "' was never sent");
                        assertTrue(stored.add(tag), "'" + tag + "' stored twice");
                        if (acked.containsKey(id)) {
                            assertEquals(acked.get(id), tag, "acknowledged " + room + "/" + id);
                        }
                    }
                    for (Map.Entry<Long, String> ack : acked.entrySet()) {
                        assertTrue(ack.getKey() <= lastId, "acknowledged " + room + "/" + ack.getKey() + " lost (last id " + lastId + ")");
                    }
                    String next = TickEvents.acceptedId(hub.publish(TickEvents.tick(room, 1)), room);
                    assertEquals(lastId + 1, Long.parseLong(next), "ids of " + room + " continue, never reused");
                }
            }
            long acknowledgedCount = acknowledged.values().stream().mapToLong(Map::size).sum();
            assertTrue(stored.size() >= acknowledgedCount, stored.size() + " stored, " + acknowledgedCount + " acknowledged");
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

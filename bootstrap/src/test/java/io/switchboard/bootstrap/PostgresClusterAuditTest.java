package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import io.switchboard.bootstrap.testing.TwoNodeCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The live audit stream of a cluster: two hub processes on one PostgreSQL schema (127.0.0.1:5432,
 * database {@code test}); an administrator watching one node sees what happens on both, within a
 * second, filtered, each entry once. Loopback callers are administrators here (no API key, no JWKS).
 * Skipped with a printed reason when PostgreSQL is not reachable, except on CI ({@code CI=true}).
 */
class PostgresClusterAuditTest {
    private static final Duration LIVE = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path temp;
    private static TwoNodeCluster cluster;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        cluster = TwoNodeCluster.start(temp, "sb_cluster_audit", PostgresClusterAuditTest.class, "");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAdminOnNodeBSeesAClientOfNodeALiveAndFiltered() throws Exception {
        try (JsonWebSocket everything = JsonWebSocket.connect(auditSocket(cluster.b(), ""));
             JsonWebSocket joinsOnly = JsonWebSocket.connect(auditSocket(cluster.b(), "?types=room.joined"));
             SseClient joinsOverSse = SseClient.open(URI.create("http://127.0.0.1:" + cluster.b().port() + "/api/v1/audit/stream?types=room.joined"),
                     Map.of())) {
            everything.nextOfType("connected", WAIT);
            joinsOnly.nextOfType("connected", WAIT);
            assertEquals(200, joinsOverSse.status());
            joinsOverSse.nextOfType("connected", WAIT);

            String id;
            try (JsonWebSocket client = JsonWebSocket.connect(cluster.a().ws())) {
                id = client.nextOfType("connected", WAIT).path("data").path("connectionId").asText();
                client.join("lobby:on-a");
                client.nextOfType("joined", WAIT);

                JsonNode opened = nextAuditOf(everything, id);
                assertEquals("connection.opened", opened.path("type").asText(), opened.toString());
                assertEquals("127.0.0.1", opened.path("ip").asText());
                assertEquals("/ws", opened.path("endpoint").asText());
                JsonNode joined = nextAuditOf(everything, id);
                assertEquals("room.joined", joined.path("type").asText(), joined.toString());
                assertEquals("lobby:on-a", joined.path("room").asText());
                assertEquals("/ws", joined.path("endpoint").asText());

                JsonNode filtered = nextAuditOf(joinsOnly, id);
                assertEquals("room.joined", filtered.path("type").asText(), filtered.toString());
                assertEquals("lobby:on-a", filtered.path("room").asText());
                JsonNode overSse = joinsOverSse.nextOfType("audit", LIVE).json().path("data");
                assertEquals(List.of("room.joined", id, "lobby:on-a"),
                        List.of(overSse.path("type").asText(), overSse.path("connectionId").asText(), overSse.path("room").asText()));
            }
            JsonNode closed = nextAuditOf(everything, id);
            assertEquals("connection.closed", closed.path("type").asText(), closed.toString());
            Thread.sleep(LIVE);
            assertEquals(List.of("room.joined"), types(joinsOnly.history()), "the filter holds for other nodes' entries");
        }
    }

    @Test
    void anAdminSeesTheirOwnNodesEntriesOnceEach() throws Exception {
        try (JsonWebSocket watcher = JsonWebSocket.connect(auditSocket(cluster.b(), "?types=connection.opened,room.joined"))) {
            watcher.nextOfType("connected", WAIT);
            String id;
            try (JsonWebSocket client = JsonWebSocket.connect(cluster.b().ws())) {
                id = client.nextOfType("connected", WAIT).path("data").path("connectionId").asText();
                client.join("lobby:on-b");
                client.nextOfType("joined", WAIT);
                assertEquals("connection.opened", nextAuditOf(watcher, id).path("type").asText());
                assertEquals("room.joined", nextAuditOf(watcher, id).path("type").asText());
            }
            // Two polls of the feed later, still nothing twice.
            Thread.sleep(LIVE.multipliedBy(2));
            List<JsonNode> aboutClient = watcher.history().stream()
                    .filter(m -> m.path("type").asText().equals("audit") && m.path("data").path("connectionId").asText().equals(id))
                    .toList();
            assertEquals(List.of("connection.opened", "room.joined"), types(aboutClient), aboutClient.toString());
        }
    }

    private static URI auditSocket(HubProcess node, String query) {
        return URI.create("ws://127.0.0.1:" + node.port() + "/ws/audit" + query);
    }

    /** The next audit entry about connection {@code id}, within a second. */
    private static JsonNode nextAuditOf(JsonWebSocket watcher, String id) {
        long deadline = System.nanoTime() + LIVE.toNanos();
        while (true) {
            JsonNode data = watcher.nextOfType("audit", Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))).path("data");
            if (id.equals(data.path("connectionId").asText())) {
                return data;
            }
        }
    }

    private static List<String> types(List<JsonNode> messages) {
        return messages.stream().filter(m -> m.path("type").asText().equals("audit")).map(m -> m.path("data").path("type").asText()).toList();
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.TestSchema;
import io.switchboard.bootstrap.testing.TwoNodeCluster;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two hub processes on one PostgreSQL schema (127.0.0.1:5432, database {@code test}): what a
 * client sees of a cluster. Skipped with a printed reason when PostgreSQL is not reachable,
 * except on CI ({@code CI=true}), where that fails.
 */
class PostgresClusterTest {
    private static final String SERVER = TestSchema.SERVER;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path temp;
    private static TwoNodeCluster cluster;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        cluster = TwoNodeCluster.start(temp, "sb_cluster", PostgresClusterTest.class, "");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void startupLogNamesTheSharedDatabase() {
        assertTrue(cluster.a().output().contains("storage PostgreSQL " + SERVER + " (schema " + cluster.schema() + ")"), cluster.a().output());
    }

    /** Published on A, heard on B in order without gaps; then a client resumes from the middle on either node. */
    @Test
    void eventsPublishedOnOneNodeReachClientsOnTheOtherAndResumeWorksOnEither() throws Exception {
        String room = "cluster:1";
        List<String> ids = new ArrayList<>();
        try (JsonWebSocket onB = JsonWebSocket.connect(cluster.b().ws())) {
            onB.nextOfType("connected", WAIT);
            onB.join(room, "0");
            onB.nextOfType("joined", WAIT);
            for (int n = 1; n <= 20; n++) {
                ids.add(TickEvents.acceptedId(cluster.a().publish(TickEvents.tick(room, n)), room));
            }
            assertEquals(TickEvents.ticks(ids, 1, 20), onB.nextEvents(20, WAIT).stream().map(TickEvents::describe).toList());
        }
        for (HubProcess node : new HubProcess[] {cluster.a(), cluster.b()}) {
            try (JsonWebSocket resuming = JsonWebSocket.connect(node.ws())) {
                resuming.nextOfType("connected", WAIT);
                resuming.join(room, ids.get(9));
                JsonNode joined = resuming.nextOfType("joined", WAIT);
                assertTrue(joined.path("data").path("recovered").asBoolean(), joined.toString());
                assertEquals(TickEvents.ticks(ids, 11, 20), resuming.nextEvents(10, WAIT).stream().map(TickEvents::describe).toList(),
                        "replay on node " + (node == cluster.a() ? "A" : "B"));
            }
        }
    }

}

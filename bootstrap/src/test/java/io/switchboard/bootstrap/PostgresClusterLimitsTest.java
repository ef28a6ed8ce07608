package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.TestSchema;
import io.switchboard.bootstrap.testing.TwoNodeCluster;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-user limits across two hub processes on one PostgreSQL schema (127.0.0.1:5432, database
 * {@code test}), each test with a schema and two nodes of its own. Skipped with a printed reason
 * when PostgreSQL is not reachable, except on CI ({@code CI=true}), where that fails.
 */
class PostgresClusterLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path temp;
    private TwoNodeCluster cluster;

    @BeforeAll
    static void requirePostgres() {
        TestSchema.requireServer(PostgresClusterLimitsTest.class);
    }

    @AfterEach
    void stopNodes() throws SQLException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aUsersThirdConnectionOnTheOtherNodeIsRefusedWith503() throws Exception {
        TwoNodeCluster cluster = startCluster("reject");
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        JsonWebSocket first = connected(cluster.a(), alice);
        JsonWebSocket second = connected(cluster.a(), alice);
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(uri(cluster.b(), alice), Map.of()));
        assertEquals(503, refused.status());
        assertEquals("CONNECTION_LIMIT", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
        connected(cluster.b(), AuthTest.token("bob", "", Duration.ofMinutes(5))).close();

        first.close();
        JsonWebSocket third = awaitAdmitted(cluster.b(), alice, WAIT);
        assertFalse(second.closeCode().isDone(), "nobody was evicted");
        second.close();
        third.close();
    }

    @Test
    void aUsersThirdConnectionOnTheOtherNodeEvictsTheOldestWith4009() throws Exception {
        TwoNodeCluster cluster = startCluster("evict-oldest");
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        JsonWebSocket oldest = connected(cluster.a(), alice);
        JsonWebSocket younger = connected(cluster.a(), alice);
        JsonWebSocket onB = connected(cluster.b(), alice);

        JsonNode disconnect = oldest.nextOfType("disconnect", WAIT).path("data");
        assertEquals(4009, disconnect.path("code").asInt(), disconnect.toString());
        assertEquals(4009, oldest.closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(younger.closeCode().isDone(), "only the oldest is evicted");

        JsonWebSocket fourth = connected(cluster.b(), alice);
        assertEquals(4009, younger.nextOfType("disconnect", WAIT).path("data").path("code").asInt());
        assertEquals(4009, younger.closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(onB.closeCode().isDone());
        onB.close();
        fourth.close();
    }

    @Test
    void aKilledNodesConnectionsStopCountingAfterTheExpiry() throws Exception {
        TwoNodeCluster cluster = startCluster("reject");
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        connected(cluster.a(), alice);
        connected(cluster.a(), alice);
        cluster.a().kill();
        long killed = System.nanoTime();
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(uri(cluster.b(), alice), Map.of()));
        assertEquals(503, refused.status(), "the killed node's connections still count until its heartbeat expires");

        JsonWebSocket admitted = awaitAdmitted(cluster.b(), alice, Duration.ofSeconds(30));
        long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
        assertTrue(waited >= 5 && waited <= 25, "admitted " + waited + " s after the kill (expiry 15 s after the last heartbeat)");
        admitted.close();
    }

    /** Two nodes on a new schema with a per-user limit of 2 and {@code policy}. */
    private TwoNodeCluster startCluster(String policy) throws Exception {
        cluster = TwoNodeCluster.start(temp, "sb_limits", PostgresClusterLimitsTest.class, """
                  auth:
                    jwks: '%s'
                  limits:
                    per-user: 2
                    per-user-policy: %s
                """.formatted(AuthTest.JWKS, policy));
        return cluster;
    }

    private static JsonWebSocket connected(HubProcess node, String token) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(uri(node, token));
        client.nextOfType("connected", WAIT);
        return client;
    }

    /** Tries until the node lets the client in. */
    private static JsonWebSocket awaitAdmitted(HubProcess node, String token, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return connected(node, token);
            } catch (RawWebSocket.HandshakeRefused | java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still refused after " + within + ": " + e.getMessage(), e);
                }
                Thread.sleep(250);
            }
        }
    }

    private static URI uri(HubProcess node, String token) {
        return URI.create(node.ws() + "?token=" + token);
    }

}

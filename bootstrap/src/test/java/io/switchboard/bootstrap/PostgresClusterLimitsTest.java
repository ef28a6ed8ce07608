package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.TestSchema;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final String SERVER = TestSchema.SERVER;
    private static final String USER = TestSchema.USER;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path temp;
    private final List<HubProcess> nodes = new ArrayList<>();
    private String schema;

    @BeforeAll
    static void requirePostgres() {
        TestSchema.requireServer(PostgresClusterLimitsTest.class);
    }

    @AfterEach
    void stopNodes() throws SQLException {
        nodes.forEach(HubProcess::close);
        if (schema != null) {
            TestSchema.drop(schema);
        }
    }

    @Test
    void aUsersThirdConnectionOnTheOtherNodeIsRefusedWith503() throws Exception {
        List<HubProcess> cluster = cluster("reject");
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        JsonWebSocket first = connected(cluster.get(0), alice);
        JsonWebSocket second = connected(cluster.get(0), alice);
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(uri(cluster.get(1), alice), Map.of()));
        assertEquals(503, refused.status());
        assertEquals("CONNECTION_LIMIT", JsonWebSocket.json().readTree(refused.body()).path("code").asText());
        connected(cluster.get(1), AuthTest.token("bob", "", Duration.ofMinutes(5))).close();

        first.close();
        JsonWebSocket third = awaitAdmitted(cluster.get(1), alice, WAIT);
        assertFalse(second.closeCode().isDone(), "nobody was evicted");
        second.close();
        third.close();
    }

    @Test
    void aUsersThirdConnectionOnTheOtherNodeEvictsTheOldestWith4009() throws Exception {
        List<HubProcess> cluster = cluster("evict-oldest");
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        JsonWebSocket oldest = connected(cluster.get(0), alice);
        JsonWebSocket younger = connected(cluster.get(0), alice);
        JsonWebSocket onB = connected(cluster.get(1), alice);

        JsonNode disconnect = oldest.nextOfType("disconnect", WAIT).path("data");
        assertEquals(4009, disconnect.path("code").asInt(), disconnect.toString());
        assertEquals(4009, oldest.closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(younger.closeCode().isDone(), "only the oldest is evicted");

        JsonWebSocket fourth = connected(cluster.get(1), alice);
        assertEquals(4009, younger.nextOfType("disconnect", WAIT).path("data").path("code").asInt());
        assertEquals(4009, younger.closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(onB.closeCode().isDone());
        onB.close();
        fourth.close();
    }

    @Test
    void aKilledNodesConnectionsStopCountingAfterTheExpiry() throws Exception {
        List<HubProcess> cluster = cluster("reject");
        String alice = AuthTest.token("alice", "", Duration.ofMinutes(5));
        connected(cluster.get(0), alice);
        connected(cluster.get(0), alice);
        cluster.get(0).kill();
        long killed = System.nanoTime();
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(uri(cluster.get(1), alice), Map.of()));
        assertEquals(503, refused.status(), "the killed node's connections still count until its heartbeat expires");

        JsonWebSocket admitted = awaitAdmitted(cluster.get(1), alice, Duration.ofSeconds(30));
        long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
        assertTrue(waited >= 5 && waited <= 25, "admitted " + waited + " s after the kill (expiry 15 s after the last heartbeat)");
        admitted.close();
    }

    /** Two nodes on a new schema with a per-user limit of 2 and {@code policy}. */
    private List<HubProcess> cluster(String policy) throws Exception {
        schema = TestSchema.create("sb_limits", PostgresClusterLimitsTest.class);
        Path config = temp.resolve("cluster.yaml");
        Files.writeString(config, """
                hub:
                  db:
                    url: "%s?currentSchema=%s"
                    user: %s
                  auth:
                    jwks: '%s'
                  limits:
                    per-user: 2
                    per-user-policy: %s
                """.formatted(SERVER, schema, USER, AuthTest.JWKS, policy));
        HubProcess a = HubProcess.start(temp.resolve("a.log"), "--config", config.toString());
        nodes.add(a);
        HubProcess b = HubProcess.start(temp.resolve("b.log"), "--config", config.toString());
        nodes.add(b);
        return List.of(a, b);
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

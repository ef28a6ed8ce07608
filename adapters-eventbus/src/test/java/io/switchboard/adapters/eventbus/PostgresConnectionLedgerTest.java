package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.LimitSettings.LimitPolicy;
import io.switchboard.application.port.out.ConnectionLedger;
import io.switchboard.application.port.out.ConnectionLedger.Claim;
import io.switchboard.application.port.out.ConnectionLedger.Limit;
import io.switchboard.application.port.out.ConnectionLedger.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster-wide connection ledger on PostgreSQL (127.0.0.1:5432, database {@code test}): two
 * nodes on one schema of the test's own. Skipped with a printed reason when the server is not
 * reachable, except on CI ({@code CI=true}), where that fails.
 */
class PostgresConnectionLedgerTest {
    private static final Duration LONG_EXPIRY = Duration.ofMinutes(1);
    private static final Limit NONE = Limit.NONE;

    private final NodesOnOneSchema nodes = new NodesOnOneSchema("sb_slots");

    @BeforeAll
    static void requireServer() {
        PostgresEventStorageTest.requireServer(PostgresConnectionLedgerTest.class);
    }

    @AfterEach
    void closeNodesAndDropSchema() throws Exception {
        nodes.close();
    }

    @Test
    void aUsersLimitHoldsAcrossNodes() {
        Node a = node(LONG_EXPIRY);
        Node b = node(LONG_EXPIRY);
        Limit two = new Limit(2, LimitPolicy.REJECT);
        assertAdmitted(a.admit("a1", "10.0.0.1", "alice", NONE, two));
        assertAdmitted(a.admit("a2", "10.0.0.2", "alice", NONE, two));
        assertEquals(new Verdict.Refused(true), b.admit("b1", "10.0.0.3", "alice", NONE, two));
        assertAdmitted(b.admit("b2", "10.0.0.3", "bob", NONE, two));
        assertAdmitted(b.admit("b3", "10.0.0.3", null, NONE, two));
        a.ledger.release("a1");
        assertAdmitted(b.admit("b1", "10.0.0.3", "alice", NONE, two));
        assertEquals(new Verdict.Refused(false), a.admit("a3", "10.0.0.3", "carol", new Limit(3, LimitPolicy.REJECT), two),
                "three places of 10.0.0.3 on node B");
    }

    @Test
    void evictingTheOldestOnAnotherNodeTellsThatNode() throws Exception {
        Node a = node(LONG_EXPIRY);
        Node b = node(LONG_EXPIRY);
        Limit two = new Limit(2, LimitPolicy.EVICT_OLDEST);
        assertAdmitted(a.admit("a1", "10.0.0.1", "alice", NONE, two));
        assertAdmitted(a.admit("a2", "10.0.0.1", "alice", NONE, two));
        assertEquals(new Verdict.Admitted(List.of("a1")), b.admit("b1", "10.0.0.2", "alice", NONE, two));
        a.awaitEvicted("a1");
        assertEquals(new Verdict.Admitted(List.of("a2")), b.admit("b2", "10.0.0.2", "alice", NONE, two),
                "a place being evicted no longer counts, even before its node released it");
        a.awaitEvicted("a2");
        assertEquals(List.of(), b.evicted, "the admitting node evicts its own victims itself");
    }

    @Test
    void evictOldestIdleUsesTheIdlenessEachNodeLastWrote() throws Exception {
        Node a = node(LONG_EXPIRY);
        Node b = node(LONG_EXPIRY);
        Limit two = new Limit(2, LimitPolicy.EVICT_OLDEST_IDLE);
        assertAdmitted(a.admit("a1", "10.0.0.1", "alice", NONE, two));
        assertAdmitted(a.admit("a2", "10.0.0.1", "alice", NONE, two));
        a.idle.put("a1", Duration.ofSeconds(1));
        a.idle.put("a2", Duration.ofSeconds(30));
        a.ledger.beat();
        assertEquals(new Verdict.Admitted(List.of("a2")), b.admit("b1", "10.0.0.2", "alice", NONE, two));
        a.awaitEvicted("a2");
    }

    @Test
    void theOwnNodesIdlenessIsExact() {
        Node a = node(LONG_EXPIRY);
        Limit two = new Limit(2, LimitPolicy.EVICT_OLDEST_IDLE);
        assertAdmitted(a.admit("a1", "10.0.0.1", null, two, NONE));
        assertAdmitted(a.admit("a2", "10.0.0.1", null, two, NONE));
        a.idle.put("a2", Duration.ofSeconds(5));
        assertEquals(new Verdict.Admitted(List.of("a2")), a.admit("a3", "10.0.0.1", null, two, NONE), "no heartbeat needed");
    }

    @Test
    void aDeadNodesPlacesStopCountingAndAreForgotten() throws Exception {
        Node a = node(LONG_EXPIRY);
        Node b = node(LONG_EXPIRY);
        Limit two = new Limit(2, LimitPolicy.REJECT);
        assertAdmitted(a.admit("a1", "10.0.0.1", "alice", two, two));
        assertAdmitted(a.admit("a2", "10.0.0.1", "alice", two, two));
        assertEquals(new Verdict.Refused(false), b.admit("b1", "10.0.0.1", "alice", two, two));
        nodes.sql("UPDATE hub_nodes SET expires_at = now() - INTERVAL '1 second' WHERE node_id = '" + a.ledger.nodeId() + "'");
        assertAdmitted(b.admit("b1", "10.0.0.1", "alice", two, two));
        assertEquals(3, count("SELECT COUNT(*) FROM connection_slots"), "the dead node's rows are kept for a while");
        nodes.sql("UPDATE hub_nodes SET expires_at = now() - INTERVAL '2 minutes' WHERE node_id = '" + a.ledger.nodeId() + "'");
        b.ledger.beat();
        assertEquals(1, count("SELECT COUNT(*) FROM connection_slots"));
        assertEquals(1, count("SELECT COUNT(*) FROM hub_nodes"));
    }

    @Test
    void aNodeThatClosesGivesUpItsPlaces() throws Exception {
        Node a = node(LONG_EXPIRY);
        Node b = node(LONG_EXPIRY);
        Limit one = new Limit(1, LimitPolicy.REJECT);
        assertAdmitted(a.admit("a1", "10.0.0.1", null, one, NONE));
        assertEquals(new Verdict.Refused(false), b.admit("b1", "10.0.0.1", null, one, NONE));
        a.ledger.close();
        assertAdmitted(b.admit("b1", "10.0.0.1", null, one, NONE));
        assertEquals(0, count("SELECT COUNT(*) FROM hub_nodes WHERE node_id = '" + a.ledger.nodeId() + "'"));
    }

    @Test
    void concurrentAdmissionsOnTwoNodesNeverPassTheLimit() throws Exception {
        Node a = node(LONG_EXPIRY);
        Node b = node(LONG_EXPIRY);
        Limit five = new Limit(5, LimitPolicy.REJECT);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> attempts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Node on = i % 2 == 0 ? a : b;
                String slot = "s" + i;
                attempts.add(pool.submit(() -> {
                    start.await();
                    if (on.admit(slot, "10.0.0.1", "alice", five, five) instanceof Verdict.Admitted) {
                        admitted.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> attempt : attempts) {
                attempt.get();
            }
        }
        assertEquals(5, admitted.get());
        assertEquals(5, count("SELECT COUNT(*) FROM connection_slots"));
    }

    /** One node: its ledger, with a stand-in for its connections. */
    private static final class Node implements ConnectionLedger.Node {
        final Map<String, Duration> idle = new ConcurrentHashMap<>();
        final List<String> evicted = new CopyOnWriteArrayList<>();
        PostgresConnectionLedger ledger;

        Verdict admit(String slot, String ip, String user, Limit perIp, Limit perUser) {
            return ledger.admit(new Claim(slot, ip, user), perIp, perUser);
        }

        @Override
        public Map<String, Duration> idleness() {
            return Map.copyOf(idle);
        }

        @Override
        public Duration idle(String slotId) {
            return idle.getOrDefault(slotId, Duration.ZERO);
        }

        @Override
        public void evict(String slotId) {
            if (!evicted.contains(slotId)) {
                evicted.add(slotId);
                ledger.release(slotId);
            }
        }

        void awaitEvicted(String slot) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (!evicted.contains(slot) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(evicted.contains(slot), slot + " evicted on its node: " + evicted);
        }
    }

    private Node node(Duration expiry) {
        JdbcDatabase database = nodes.database();
        Node node = new Node();
        try {
            node.ledger = new PostgresConnectionLedger(database, nodes.url(), nodes.credentials(),
                    PostgresNotifications.channel("switchboard_slots:", nodes.schema()), expiry);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        nodes.keep(node.ledger);
        node.ledger.serve(node);
        return node;
    }

    private static void assertAdmitted(Verdict verdict) {
        assertEquals(new Verdict.Admitted(List.of()), verdict);
    }

    private long count(String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(nodes.url(), PostgresEventStorageTest.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

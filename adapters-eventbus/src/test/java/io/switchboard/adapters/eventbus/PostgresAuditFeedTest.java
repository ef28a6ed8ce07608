package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.out.AuditFeed;
import io.switchboard.application.port.out.HistoryRetention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster-wide audit feed on PostgreSQL (127.0.0.1:5432, database {@code test}): nodes on one
 * schema of the test's own each hear every node's audit entries, once each. Skipped with a printed
 * reason when the server is not reachable, except on CI ({@code CI=true}), where that fails.
 */
class PostgresAuditFeedTest {
    private static final Duration LIVE = Duration.ofSeconds(1);
    private static final String COLUMNS = "time, type, connection_id, user_id, ip, endpoint, outcome, room, detail";

    private final List<EventStorage> opened = new ArrayList<>();
    private String schema;

    @BeforeAll
    static void requireServer() {
        PostgresEventStorageTest.requireServer(PostgresAuditFeedTest.class);
    }

    @AfterEach
    void closeNodesAndDropSchema() throws SQLException {
        opened.reversed().forEach(EventStorage::close);
        if (schema != null) {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void eachNodeHearsEveryNodesEntriesOnceWithAllTheirFields() throws Exception {
        EventStorage nodeA = node();
        EventStorage nodeB = node();
        Heard onA = Heard.on(nodeA);
        Heard onB = Heard.on(nodeB);

        List<AuditEntry> stored = new ArrayList<>();
        stored.add(nodeA.audit().append(entry("connection.opened", "a1", "alice", "10.0.0.1", "/ws", "ok", null, null)));
        stored.add(nodeA.audit().append(entry("room.joined", "a1", "alice", "10.0.0.1", "/ws", "ok", "lobby:1", null)));
        stored.add(nodeB.audit().append(entry("auth.failed", null, null, "10.0.0.2", "/sse/feed", "AUTH_INVALID", null, "bad signature")));
        stored.add(nodeA.audit().append(entry("connection.closed", "a1", "alice", "10.0.0.1", "/ws", "1000", null, null)));

        onB.await(stored);
        onA.await(stored);
        Thread.sleep(PostgresNotifications.POLL_EVERY.multipliedBy(2));
        assertEquals(stored, onB.entries(), "nothing twice after polls");
        assertEquals(stored, onA.entries(), "a node's own entries once, from the feed");
    }

    @Test
    void entriesStoredBeforeANodeStartedAreHistoryNotNews() throws Exception {
        EventStorage nodeA = node();
        nodeA.audit().append(entry("connection.opened", "old", null, "10.0.0.1", "/ws", "ok", null, null));
        EventStorage nodeB = node();
        Heard onB = Heard.on(nodeB);
        AuditEntry fresh = nodeA.audit().append(entry("connection.opened", "new", null, "10.0.0.1", "/ws", "ok", null, null));
        onB.await(List.of(fresh));
        Thread.sleep(PostgresNotifications.POLL_EVERY.multipliedBy(2));
        assertEquals(List.of(fresh), onB.entries());
    }

    /** Nodes appending at once: each node's entries arrive in the order it stored them, every entry once, on both nodes. */
    @Test
    void concurrentNodesKeepTheirOwnOrderAndNothingIsLostOrDoubled() throws Exception {
        EventStorage nodeA = node();
        EventStorage nodeB = node();
        Heard onA = Heard.on(nodeA);
        Heard onB = Heard.on(nodeB);
        CompletableFuture<List<AuditEntry>> fromA = CompletableFuture.supplyAsync(() -> appendMany(nodeA, "a", 60));
        CompletableFuture<List<AuditEntry>> fromB = CompletableFuture.supplyAsync(() -> appendMany(nodeB, "b", 60));
        List<AuditEntry> storedByA = fromA.get(20, TimeUnit.SECONDS);
        List<AuditEntry> storedByB = fromB.get(20, TimeUnit.SECONDS);
        for (Heard heard : List.of(onA, onB)) {
            heard.awaitCount(120);
            assertEquals(storedByA, heard.entries().stream().filter(e -> e.connectionId().startsWith("a")).toList());
            assertEquals(storedByB, heard.entries().stream().filter(e -> e.connectionId().startsWith("b")).toList());
        }
        Thread.sleep(PostgresNotifications.POLL_EVERY.multipliedBy(2));
        assertEquals(120, onA.entries().size());
        assertEquals(120, onB.entries().size());
    }

    /**
     * Numbers are taken when an insert starts: an insert that commits after a higher-numbered one
     * (and, written by hand, notifies nobody) still arrives, once, after it; a rolled-back insert
     * holds nothing up.
     */
    @Test
    void anEntryCommittingAfterAHigherNumberStillArrivesOnce() throws Exception {
        EventStorage nodeA = node();
        EventStorage nodeB = node();
        Heard onB = Heard.on(nodeB);
        try (Connection slow = DriverManager.getConnection(url(), PostgresEventStorageTest.USER, "");
             Connection rolledBack = DriverManager.getConnection(url(), PostgresEventStorageTest.USER, "")) {
            slow.setAutoCommit(false);
            rolledBack.setAutoCommit(false);
            long slowSeq = insert(slow, "slow");
            long lostSeq = insert(rolledBack, "rolled-back");
            AuditEntry quick = nodeA.audit().append(entry("room.joined", "quick", "bob", "10.0.0.3", "/ws", "ok", "lobby:2", null));
            assertTrue(quick.seq() > slowSeq && quick.seq() > lostSeq, "numbered after the open inserts");
            onB.await(List.of(quick));
            rolledBack.rollback();
            AuditEntry next = nodeA.audit().append(entry("room.left", "quick", "bob", "10.0.0.3", "/ws", "ok", "lobby:2", null));
            onB.await(List.of(quick, next));
            slow.commit();
            onB.awaitCount(3);
            AuditEntry late = onB.entries().get(2);
            assertEquals(slowSeq, late.seq());
            assertEquals("slow", late.connectionId());
            assertEquals("connection.opened", late.type());
        }
        Thread.sleep(PostgresNotifications.POLL_EVERY.multipliedBy(2));
        assertEquals(3, onB.entries().size(), "each once: " + onB.entries());
    }

    private static List<AuditEntry> appendMany(EventStorage node, String prefix, int count) {
        List<AuditEntry> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            stored.add(node.audit().append(entry("room.joined", prefix + i, "user-" + prefix, "10.0.0.9", "/ws", "ok", "lobby:" + i, null)));
        }
        return stored;
    }

    private static AuditEntry entry(String type, String connectionId, String userId, String ip, String endpoint, String outcome,
                                    String room, String detail) {
        // Microseconds: what the database keeps, so a stored entry equals the one read back.
        return new AuditEntry(0, Instant.now().truncatedTo(ChronoUnit.MICROS), type, connectionId, userId, ip, endpoint, outcome,
                room, detail);
    }

    /** Inserts a row by hand in {@code connection}'s open transaction, as an operator's script might; no notification. */
    private static long insert(Connection connection, String connectionId) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("INSERT INTO audit_log (" + COLUMNS + ") VALUES (now(), 'connection.opened', '"
                     + connectionId + "', NULL, '10.0.0.4', '/ws', 'ok', NULL, NULL) RETURNING seq")) {
            row.next();
            return row.getLong(1);
        }
    }

    private EventStorage node() {
        EventStorage storage = EventStorage.postgres(url(), PostgresEventStorageTest.USER, "", HistoryRetention.defaults(), Clock.systemUTC());
        opened.add(storage);
        return storage;
    }

    private String url() {
        if (schema == null) {
            schema = "sb_audit_" + Long.toHexString(System.nanoTime());
            try {
                sql("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return PostgresEventStorageTest.SERVER + "?currentSchema=" + schema;
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(PostgresEventStorageTest.SERVER, PostgresEventStorageTest.USER, "");
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /** What one node's audit feed handed over, in order. */
    private static final class Heard {
        private final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

        static Heard on(EventStorage node) {
            Heard heard = new Heard();
            AuditFeed feed = node.auditFeed().orElseThrow();
            feed.subscribe(heard.entries::add);
            return heard;
        }

        List<AuditEntry> entries() {
            return List.copyOf(entries);
        }

        void await(List<AuditEntry> expected) throws InterruptedException {
            long deadline = System.nanoTime() + LIVE.toNanos();
            while (entries.size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(expected, entries(), "heard within " + LIVE);
        }

        void awaitCount(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (entries.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(count, entries.size(), "heard: " + entries);
        }
    }
}

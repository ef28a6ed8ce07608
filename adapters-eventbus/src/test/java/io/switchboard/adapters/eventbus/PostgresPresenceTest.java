package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.PresenceStore;
import io.switchboard.application.port.out.PresenceStore.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The presence contract on PostgreSQL (127.0.0.1:5432, database {@code test}, a schema of the test's
 * own), and what only several nodes show: one node lists and hears another's members, and an expired
 * node's members are removed by a live node, each leave heard once.
 */
class PostgresPresenceTest extends PresenceStoreContract {
    private static final Duration LONG_EXPIRY = Duration.ofMinutes(1);
    private final NodesOnOneSchema nodes = new NodesOnOneSchema("sb_presence");

    @BeforeAll
    static void requireServer() {
        PostgresEventStorageTest.requireServer(PostgresPresenceTest.class);
    }

    @AfterEach
    void closeNodesAndDropSchema() throws Exception {
        nodes.close();
    }

    @Override
    PresenceStore store(Heard heard) {
        return node(heard, LONG_EXPIRY);
    }

    @Test
    void anotherNodeListsAndHearsTheMembers() {
        Heard onA = new Heard();
        Heard onB = new Heard();
        PresenceStore a = node(onA, LONG_EXPIRY);
        PresenceStore b = node(onB, LONG_EXPIRY);
        a.add(new Member(ROOM, "a1", "alice", null), 0);
        b.add(new Member(ROOM, "b1", null, null), 0);
        assertEquals(List.of("a1", "b1"), ids(a.page(ROOM, null, 10)));
        assertEquals(List.of("a1", "b1"), ids(b.page(ROOM, null, 10)));
        a.remove(ROOM, "a1");
        await(() -> onA.changes.size() >= 3 && onB.changes.size() >= 3);
        List<String> expected = List.of("+chat:1/a1/alice", "+chat:1/b1/null", "-chat:1/a1/alice");
        assertEquals(expected, settled(onA));
        assertEquals(expected, settled(onB));
    }

    @Test
    void anExpiredNodesMembersAreRemovedByALiveNodeAndEachLeaveIsHeardOnce() throws Exception {
        Heard onA = new Heard();
        Heard onB = new Heard();
        Heard onC = new Heard();
        PresenceStore a = node(onA, LONG_EXPIRY);
        node(onB, Duration.ofMillis(1500)); // beats, and sweeps, every 500 ms
        node(onC, Duration.ofMillis(1500));
        a.add(new Member(ROOM, "a1", "alice", null), 0);
        a.add(new Member(ROOM, "a2", null, null), 0);
        // A stops beating, as a killed node does: its row expires (A itself would beat again only in 20 s)
        nodes.sql("UPDATE presence_nodes SET expires_at = now() - INTERVAL '1 second'"
                + " WHERE expires_at > now() + INTERVAL '10 seconds'");
        await(() -> onB.changes.size() >= 4 && onC.changes.size() >= 4);
        List<String> expected = List.of("+chat:1/a1/alice", "+chat:1/a2/null", "-chat:1/a1/alice", "-chat:1/a2/null");
        assertEquals(expected, settled(onB), "two sweeping nodes: each leave once");
        assertEquals(expected, settled(onC));
        assertEquals(List.of(), ids(a.page(ROOM, null, 10)));
    }

    private PresenceStore node(Heard heard, Duration expiry) {
        try {
            PostgresPresence store = nodes.keep(new PostgresPresence(nodes.database(), nodes.url(), nodes.credentials(),
                    PostgresNotifications.channel("switchboard_presence:", nodes.schema()), expiry));
            store.listen(heard);
            return store;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.PresenceStore;
import io.switchboard.application.port.out.PresenceStore.Member;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link PresenceStore} promises, run against each adapter (in memory, PostgreSQL). */
abstract class PresenceStoreContract {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final RoomName ROOM = new RoomName("chat:1");

    /** A new, empty store whose joins and leaves go to {@code heard}. */
    abstract PresenceStore store(Heard heard);

    /** Joins and leaves as a listener hears them: {@code +id} and {@code -id}. */
    static final class Heard implements PresenceStore.Listener {
        final List<String> changes = new CopyOnWriteArrayList<>();

        @Override
        public void joined(Member member) {
            changes.add("+" + member.room().value() + "/" + member.connectionId() + "/" + member.userId());
        }

        @Override
        public void left(Member member) {
            changes.add("-" + member.room().value() + "/" + member.connectionId() + "/" + member.userId());
        }
    }

    @Test
    void membersArePagedInConnectionIdOrderWithTheRoomsTotals() {
        PresenceStore store = store(new Heard());
        for (String id : new String[] {"d", "b", "e", "a", "c"}) {
            assertTrue(store.add(new Member(ROOM, id, id.equals("e") ? null : "user-" + (id.compareTo("c") < 0 ? "x" : id),
                    id.equals("a") ? "{\"name\":\"A\"}" : null), 0));
        }
        store.add(new Member(new RoomName("chat:2"), "z", "other", null), 0);
        PresenceStore.Page first = store.page(ROOM, null, 2);
        assertEquals(List.of("a", "b"), ids(first));
        assertEquals(new Member(ROOM, "a", "user-x", "{\"name\":\"A\"}"), first.members().getFirst(), "as added, info too");
        assertTrue(first.more());
        assertEquals(5, first.connections());
        assertEquals(3, first.users(), "user-x (a, b), user-c, user-d; e is anonymous");
        PresenceStore.Page second = store.page(ROOM, "b", 2);
        assertEquals(List.of("c", "d"), ids(second));
        assertTrue(second.more());
        PresenceStore.Page last = store.page(ROOM, "d", 2);
        assertEquals(List.of("e"), ids(last));
        assertFalse(last.more());
        assertEquals(List.of(), ids(store.page(new RoomName("chat:9"), null, 10)));
        assertEquals(0, store.page(new RoomName("chat:9"), null, 10).connections());
    }

    @Test
    void eachJoinAndLeaveIsHeardOnceAndAnAbsentMemberIsIgnored() {
        Heard heard = new Heard();
        PresenceStore store = store(heard);
        assertTrue(store.add(new Member(ROOM, "a", "alice", null), 0));
        assertFalse(store.add(new Member(ROOM, "a", "alice", null), 0), "already present");
        assertTrue(store.add(new Member(ROOM, "b", null, null), 0));
        store.remove(ROOM, "a");
        store.remove(ROOM, "a");
        store.remove(ROOM, "never");
        store.remove(new RoomName("chat:2"), "b");
        await(() -> heard.changes.size() >= 3);
        assertEquals(List.of("+chat:1/a/alice", "+chat:1/b/null", "-chat:1/a/alice"), settled(heard));
        assertEquals(List.of("b"), ids(store.page(ROOM, null, 10)));
    }

    @Test
    void aRoomAtItsBoundTracksNoMoreUntilAPlaceIsFree() {
        Heard heard = new Heard();
        PresenceStore store = store(heard);
        assertTrue(store.add(new Member(ROOM, "a", null, null), 2));
        assertTrue(store.add(new Member(ROOM, "b", null, null), 2));
        assertFalse(store.add(new Member(ROOM, "c", null, null), 2));
        assertTrue(store.add(new Member(new RoomName("chat:2"), "c", null, null), 2), "the bound is per room");
        store.remove(ROOM, "a");
        assertTrue(store.add(new Member(ROOM, "c", null, null), 2));
        assertEquals(List.of("b", "c"), ids(store.page(ROOM, null, 10)));
        await(() -> heard.changes.size() >= 5);
        assertEquals(List.of("+chat:1/a/null", "+chat:1/b/null", "+chat:2/c/null", "-chat:1/a/null", "+chat:1/c/null"), settled(heard),
                "c of chat:1 joined only once a was gone");
    }

    @Test
    void countsGiveEachRoomsTotals() {
        PresenceStore store = store(new Heard());
        store.add(new Member(ROOM, "a", "alice", null), 0);
        store.add(new Member(ROOM, "b", "alice", null), 0);
        store.add(new Member(new RoomName("chat:2"), "c", null, null), 0);
        assertEquals(List.of(new PresenceStore.RoomCount(ROOM, 1, 2), new PresenceStore.RoomCount(new RoomName("chat:2"), 0, 1)),
                store.counts());
    }

    static List<String> ids(PresenceStore.Page page) {
        List<String> ids = new ArrayList<>();
        page.members().forEach(m -> ids.add(m.connectionId()));
        return ids;
    }

    /** What was heard once nothing more arrives for a moment (a duplicate would show up meanwhile). */
    static List<String> settled(Heard heard) {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(heard.changes);
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package io.switchboard.adapters.eventbus;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link GroupCommit} forms groups, with a committer that records each group and can be held
 * mid-commit, so "arrived while a commit was in flight" is certain rather than likely.
 */
class GroupCommitTest {
    private static final RoomName ROOM = new RoomName("group:1");
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<List<String>> groups = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile CountDownLatch inFlight = new CountDownLatch(0);
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile RuntimeException failure;
    private volatile String poison;

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Records the group's appends by their first draft's type, then stores them with ids 1, 2, 3... */
    private List<List<Event>> commit(List<List<EventDraft>> group) {
        groups.add(group.stream().map(drafts -> drafts.getFirst().type()).toList());
        inFlight.countDown();
        await(release);
        if (failure != null) {
            throw failure;
        }
        if (poison != null && group.stream().flatMap(List::stream).anyMatch(d -> d.type().equals(poison))) {
            throw new IllegalStateException("constraint", new SQLIntegrityConstraintViolationException("rejected", "23513"));
        }
        List<List<Event>> stored = new ArrayList<>();
        for (List<EventDraft> drafts : group) {
            stored.add(drafts.stream().map(d -> Event.from(d, new EventId(ids.incrementAndGet()), Instant.EPOCH)).toList());
        }
        return stored;
    }

    private List<Event> commitAlone(List<EventDraft> drafts) {
        return commit(List.of(drafts)).getFirst();
    }

    @Test
    void anAppendWithNothingPendingCommitsAloneAtOnce() {
        GroupCommit commit = new GroupCommit(this::commit, this::commitAlone, 100);
        List<Event> stored = commit.append(drafts("a", 1));
        List<Event> next = commit.append(drafts("b", 2));

        assertEquals(List.of(List.of("a"), List.of("b")), groups);
        assertEquals(List.of(1L), stored.stream().map(e -> e.id().value()).toList());
        assertEquals(List.of(2L, 3L), next.stream().map(e -> e.id().value()).toList());
    }

    @Test
    void appendsArrivingDuringACommitShareTheNextInArrivalOrderEachAnsweredWithItsOwnEvents() throws Exception {
        GroupCommit commit = new GroupCommit(this::commit, this::commitAlone, 100);
        Future<List<Event>> first = firstHeldInFlight(commit);
        List<Future<List<Event>>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            later.add(submitQueued(commit, drafts("later" + i, 2)));
        }
        assertFalse(first.isDone(), "answered before its commit ended");
        release.countDown();

        assertEquals(List.of(1L), ids(first.get(10, TimeUnit.SECONDS)));
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(2L + 2 * i, 3L + 2 * i), ids(later.get(i).get(10, TimeUnit.SECONDS)), "append " + i);
        }
        assertEquals(List.of(List.of("first"), List.of("later0", "later1", "later2", "later3", "later4")), groups);
    }

    @Test
    void aGroupTakesAtMostTheMaximumOfEventsButAlwaysOneAppend() throws Exception {
        GroupCommit commit = new GroupCommit(this::commit, this::commitAlone, 4);
        Future<List<Event>> first = firstHeldInFlight(commit);
        List<Future<List<Event>>> later = new ArrayList<>();
        later.add(submitQueued(commit, drafts("x", 3)));
        later.add(submitQueued(commit, drafts("y", 2)));
        later.add(submitQueued(commit, drafts("big", 9)));
        later.add(submitQueued(commit, drafts("z", 1)));
        release.countDown();

        first.get(10, TimeUnit.SECONDS);
        for (Future<List<Event>> f : later) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(List.of("first"), List.of("x"), List.of("y"), List.of("big"), List.of("z")), groups);
    }

    @Test
    void aRowProblemFailsOnlyTheAppendAtFaultTheOthersAreCommittedAlone() throws Exception {
        GroupCommit commit = new GroupCommit(this::commit, this::commitAlone, 100);
        Future<List<Event>> first = firstHeldInFlight(commit);
        poison = "bad";
        Future<List<Event>> good1 = submitQueued(commit, drafts("good1", 1));
        Future<List<Event>> bad = submitQueued(commit, drafts("bad", 1));
        Future<List<Event>> good2 = submitQueued(commit, drafts("good2", 1));
        release.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertEquals(1, good1.get(10, TimeUnit.SECONDS).size());
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> bad.get(10, TimeUnit.SECONDS));
        assertTrue(GroupCommit.isRowProblem(failed.getCause()), failed.toString());
        assertEquals(1, good2.get(10, TimeUnit.SECONDS).size());
        assertEquals(List.of(List.of("first"), List.of("good1", "bad", "good2")), groups.subList(0, 2));
        // then each on its own, by its own caller, in any order
        assertEquals(java.util.Set.of(List.of("good1"), List.of("bad"), List.of("good2")), java.util.Set.copyOf(groups.subList(2, groups.size())));
        assertEquals(3, ids.get(), "first, good1, good2 stored");
    }

    @Test
    void aDatabaseFailureFailsEveryAppendOfTheGroupWithIt() throws Exception {
        GroupCommit commit = new GroupCommit(this::commit, this::commitAlone, 100);
        Future<List<Event>> first = firstHeldInFlight(commit);
        RuntimeException down = new IllegalStateException("no database connection", new SQLException("refused", "08001"));
        Future<List<Event>> a = submitQueued(commit, drafts("a", 1));
        Future<List<Event>> b = submitQueued(commit, drafts("b", 1));
        failure = down;
        release.countDown();

        for (Future<List<Event>> f : List.of(first, a, b)) {
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> f.get(10, TimeUnit.SECONDS));
            assertSame(down, failed.getCause());
        }
        assertEquals(2, groups.size(), "no retry of a database failure: " + groups);
        failure = null;
        assertEquals(List.of(1L), ids(commit.append(drafts("after", 1))), "the next append commits");
    }

    /** A group that gave up waiting for a lock is committed append by append, each by its own caller, however small. */
    @Test
    void aLockConflictSendsEveryAppendOfTheGroupToCommitAlone() throws Exception {
        GroupCommit commit = new GroupCommit(group -> {
            groups.add(group.stream().map(drafts -> drafts.getFirst().type()).toList());
            throw new IllegalStateException("lock", new SQLException("canceling statement due to lock timeout", GroupCommit.LOCK_NOT_AVAILABLE));
        }, drafts -> {
            groups.add(List.of("alone " + drafts.getFirst().type()));
            return drafts.stream().map(d -> Event.from(d, new EventId(ids.incrementAndGet()), Instant.EPOCH)).toList();
        }, 100);

        assertEquals(List.of(1L), ids(commit.append(drafts("contended", 1))));
        assertEquals(List.of(List.of("contended"), List.of("alone contended")), groups);
    }

    /** Concurrent appends under no control: each answered once, with exactly its own events. */
    @Test
    void manyConcurrentAppendsAreEachAnsweredWithTheirOwnEvents() throws Exception {
        GroupCommit commit = new GroupCommit(this::commit, this::commitAlone, 7);
        List<Future<List<Event>>> answers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int n = i;
            answers.add(threads.submit(() -> commit.append(drafts("e" + n, 1 + n % 3))));
        }
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            List<Event> events = answers.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(1 + i % 3, events.size());
            String type = "e" + i;
            events.forEach(e -> assertEquals(type, e.type()));
            all.addAll(ids(events));
        }
        assertEquals(all.stream().distinct().count(), all.size(), "an id given twice");
        assertEquals(ids.get(), all.size(), "every stored event answered");
    }

    /** Submits an append and returns once it is queued behind the commit in flight. */
    private Future<List<Event>> submitQueued(GroupCommit commit, List<EventDraft> drafts) throws InterruptedException {
        int before = commit.queued();
        Future<List<Event>> future = threads.submit(() -> commit.append(drafts));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (commit.queued() == before && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(before + 1, commit.queued(), "append queued");
        return future;
    }

    /** Appends "first" and returns once its commit is in flight, held until {@link #release}. */
    private Future<List<Event>> firstHeldInFlight(GroupCommit commit) throws InterruptedException {
        inFlight = new CountDownLatch(1);
        release = new CountDownLatch(1);
        Future<List<Event>> first = threads.submit(() -> commit.append(drafts("first", 1)));
        assertTrue(inFlight.await(10, TimeUnit.SECONDS), "commit in flight");
        return first;
    }

    private static List<EventDraft> drafts(String type, int count) {
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drafts.add(new EventDraft(ROOM, type, "{}", Map.of(), false, null));
        }
        return drafts;
    }

    private static List<Long> ids(List<Event> events) {
        return events.stream().map(e -> e.id().value()).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("commit held too long");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

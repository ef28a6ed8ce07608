package io.switchboard.adapters.eventbus;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of a database event store (SPEC 17): appends that arrive while a commit is in
 * flight wait, and the next commit takes them together — one transaction, one flush. Each caller
 * returns only once its own events are committed (or failed).
 * <p>
 * There is no timer: an append that finds no commit in flight commits at once, alone or with
 * whatever queued meanwhile. The caller that commits (the leader) takes queued appends in arrival
 * order up to {@link #maxEvents} events (always at least one append, however large), commits
 * them, answers them, then hands the lead to the oldest append still queued, if any, and returns.
 * <p>
 * When a group's commit fails because of a row (a data or constraint error: SQLState class 22 or
 * 23), each of its appends is committed again on its own, by its own caller, so only the appends at
 * fault fail. So is each append of a group that gave up waiting for a lock (SQLState 55P03, e.g. a
 * room row held by another node or by an application's outbox transaction: see
 * {@link Committer#commit}) or was chosen as a deadlock victim (40P01): those callers then wait for
 * the lock each on its own, as without group commit, and the appends of other rooms go on in the
 * next groups. Any other failure (the database is gone, a timeout) fails every append of the group
 * with that failure.
 */
final class GroupCommit {

    /**
     * Commits the appends of a group in one transaction, all or none; their events in the same order.
     * It should give up waiting for a lock held elsewhere after a short while (SQLState 55P03), so that
     * one contended room does not hold up every room behind it.
     */
    interface Committer {
        List<List<Event>> commit(List<List<EventDraft>> group);
    }

    /** Commits one append that could not be committed with its group, waiting for locks as long as it takes. */
    interface AloneCommitter {
        List<Event> commit(List<EventDraft> drafts);
    }

    /** SQLState of a lock wait given up ({@code lock_timeout} on PostgreSQL). */
    static final String LOCK_NOT_AVAILABLE = "55P03";


    private final Committer committer;
    private final AloneCommitter alone;
    private final int maxEvents;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean leading;

    /** @param maxEvents most events one commit takes from several appends (one larger append is still committed, alone) */
    GroupCommit(Committer committer, AloneCommitter alone, int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, got " + maxEvents);
        }
        this.committer = committer;
        this.alone = alone;
        this.maxEvents = maxEvents;
    }

    /** Appends {@code drafts} (not empty) together with whatever else is pending; returns once committed. */
    List<Event> append(List<EventDraft> drafts) {
        Pending mine = new Pending(drafts, Thread.currentThread());
        boolean lead;
        lock.lock();
        try {
            queue.addLast(mine);
            lead = !leading;
            leading = true;
        } finally {
            lock.unlock();
        }
        if (!lead) {
            // an interrupt does not end the wait (the events may be committing); it is kept for the caller
            boolean interrupted = false;
            while (!mine.answered && !mine.leads) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!mine.answered) {
            // leading: this append is the oldest queued, so it is in the group taken now
            commitNextGroup();
        }
        if (mine.alone) {
            return alone.commit(drafts);
        }
        return mine.result();
    }

    /** Appends waiting for a commit (the group in flight not counted). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void commitNextGroup() {
        List<Pending> group = new ArrayList<>();
        lock.lock();
        try {
            int events = 0;
            while (!queue.isEmpty() && (group.isEmpty() || events + queue.peekFirst().drafts.size() <= maxEvents)) {
                Pending next = queue.pollFirst();
                events += next.drafts.size();
                group.add(next);
            }
        } finally {
            lock.unlock();
        }
        try {
            commit(group);
        } finally {
            Pending next;
            lock.lock();
            try {
                next = queue.peekFirst();
                leading = next != null;
                if (next != null) {
                    next.leads = true;
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                LockSupport.unpark(next.thread);
            }
        }
    }

    private void commit(List<Pending> group) {
        try {
            List<List<Event>> stored = committer.commit(group.stream().map(p -> p.drafts).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer(stored.get(i), null);
            }
        } catch (RuntimeException e) {
            if ((group.size() > 1 && isRowProblem(e)) || isLockConflict(e)) {
                group.forEach(Pending::commitAlone);
            } else {
                group.forEach(pending -> pending.answer(null, e));
            }
        } catch (Error e) {
            group.forEach(pending -> pending.answer(null, new IllegalStateException("the commit failed: " + e, e)));
            throw e;
        }
    }

    /** Splits a group's events, stored in the order of its appends' drafts, into each append's events. */
    static List<List<Event>> perAppend(List<Event> events, List<List<EventDraft>> group) {
        if (group.size() == 1) {
            return List.of(events);
        }
        List<List<Event>> slices = new ArrayList<>(group.size());
        int from = 0;
        for (List<EventDraft> drafts : group) {
            slices.add(events.subList(from, from + drafts.size()));
            from += drafts.size();
        }
        return slices;
    }

    /** A data or integrity constraint error (SQLState class 22 or 23): the rows are at fault, not the database. */
    static boolean isRowProblem(Throwable failure) {
        String state = sqlState(failure);
        return state.startsWith("22") || state.startsWith("23");
    }

    /** Gave up waiting for a lock (55P03) or was a deadlock's victim (40P01). */
    static boolean isLockConflict(Throwable failure) {
        String state = sqlState(failure);
        return state.equals(LOCK_NOT_AVAILABLE) || state.equals("40P01");
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }

    private static final class Pending {
        final List<EventDraft> drafts;
        final Thread thread;
        volatile boolean leads;
        volatile boolean answered;
        private boolean alone;
        private List<Event> stored;
        private RuntimeException failure;

        Pending(List<EventDraft> drafts, Thread thread) {
            this.drafts = drafts;
            this.thread = thread;
        }

        void answer(List<Event> stored, RuntimeException failure) {
            this.stored = stored;
            this.failure = failure;
            answered = true;
            if (thread != Thread.currentThread()) {
                LockSupport.unpark(thread);
            }
        }

        /** Its caller commits it on its own. */
        void commitAlone() {
            alone = true;
            answer(null, null);
        }

        List<Event> result() {
            if (failure != null) {
                throw failure;
            }
            return stored;
        }
    }
}

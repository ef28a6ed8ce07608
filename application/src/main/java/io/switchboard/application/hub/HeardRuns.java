package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.RoomName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where each room stood at recent moments, as this node heard its events: so that a join read now
 * can start at an earlier moment (SPEC 13 for clients that join in their open handler, see
 * {@link Hub#startJoinsWhereSeen}). A <em>moment</em> is a count of runs heard: every run heard
 * after {@link #moment()} returned {@code m} gets a number above {@code m}, so the events of a
 * publish that began after the moment are in runs numbered above it.
 *
 * <p>Per room it keeps the runs heard within {@code window} (their number and first id) and the
 * last id heard. A room silent for the whole window is dropped; then "not here" means nothing of it
 * was heard since any moment younger than the window. Moments older than what is kept are
 * {@link #UNKNOWN}. A room's runs are recorded one at a time in id order (the bus announces a
 * room's runs in order), before they are offered to the room's subscribers.
 */
final class HeardRuns {
    /** Nothing of the room was heard since the moment. */
    static final long NOTHING_SINCE = -2;
    /** The moment is older than what is kept. */
    static final long UNKNOWN = -3;
    /** Runs kept per room at most; beyond, the oldest are forgotten (their moments become {@link #UNKNOWN}). */
    static final int MAX_RUNS_PER_ROOM = 4096;

    private final AtomicLong runs = new AtomicLong();
    private final Map<RoomName, Marks> rooms = new ConcurrentHashMap<>();
    private final long windowNanos;
    /** Moments below this may concern a room dropped since: for a room not kept, they are unknown. */
    private volatile long forgottenBelow;

    HeardRuns(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Now, as a moment: every run heard after this call has a greater number. */
    long moment() {
        return runs.get();
    }

    /** Notes a run of consecutive events of one room, heard now. */
    void heard(List<Event> run) {
        long first = run.getFirst().id().value();
        long last = run.getLast().id().value();
        long now = System.nanoTime();
        rooms.compute(run.getFirst().room(), (room, marks) -> {
            Marks m = marks == null ? new Marks(forgottenBelow) : marks;
            // Numbered inside the room's compute: a room's runs get increasing numbers in id order.
            m.add(runs.incrementAndGet(), first, last, now, windowNanos);
            return m;
        });
    }

    /**
     * The room's position at {@code moment}: the id before its first event heard after the moment, or
     * its last id heard when none was heard since; {@link #NOTHING_SINCE} when nothing of the room
     * was heard since the moment; {@link #UNKNOWN} when the moment is older than what is kept.
     */
    long positionAt(RoomName room, long moment) {
        Marks marks = rooms.get(room);
        if (marks == null) {
            return moment >= forgottenBelow ? NOTHING_SINCE : UNKNOWN;
        }
        synchronized (marks) {
            return marks.positionAt(moment);
        }
    }

    /** Forgets runs older than the window, and rooms silent for all of it. Call now and then. */
    void sweep() {
        long now = System.nanoTime();
        for (RoomName room : rooms.keySet()) {
            rooms.computeIfPresent(room, (r, marks) -> {
                synchronized (marks) {
                    marks.forgetBefore(now - windowNanos);
                    if (marks.size > 0) {
                        return marks;
                    }
                    forgottenBelow = Math.max(forgottenBelow, marks.forgotten);
                    return null;
                }
            });
        }
    }

    /** How many rooms are kept (for tests). */
    int rooms() {
        return rooms.size();
    }

    /** One room's recent runs: a ring of (number, first id, time heard), oldest first. */
    private static final class Marks {
        private long[] numbers = new long[4];
        private long[] firstIds = new long[4];
        private long[] times = new long[4];
        private int head;
        private int size;
        private long lastHeard = -1;
        /** The number of the newest run no longer kept: moments below it are unknown here. */
        private long forgotten;

        Marks(long forgotten) {
            this.forgotten = forgotten;
        }

        synchronized void add(long number, long firstId, long lastId, long now, long windowNanos) {
            forgetBefore(now - windowNanos);
            if (size == MAX_RUNS_PER_ROOM) {
                dropOldest();
            } else if (size == numbers.length) {
                grow();
            }
            int at = (head + size) % numbers.length;
            numbers[at] = number;
            firstIds[at] = firstId;
            times[at] = now;
            size++;
            lastHeard = lastId;
        }

        long positionAt(long moment) {
            if (moment < forgotten) {
                return UNKNOWN;
            }
            for (int i = 0; i < size; i++) {
                int at = (head + i) % numbers.length;
                if (numbers[at] > moment) {
                    return firstIds[at] - 1; // a run's ids follow the room's previous ones
                }
            }
            return size == 0 ? NOTHING_SINCE : lastHeard;
        }

        void forgetBefore(long oldest) {
            while (size > 0 && times[head] - oldest < 0) {
                dropOldest();
            }
        }

        private void dropOldest() {
            forgotten = numbers[head];
            head = (head + 1) % numbers.length;
            size--;
        }

        private void grow() {
            int capacity = Math.min(numbers.length * 2, MAX_RUNS_PER_ROOM);
            long[] n = new long[capacity];
            long[] f = new long[capacity];
            long[] t = new long[capacity];
            for (int i = 0; i < size; i++) {
                int at = (head + i) % numbers.length;
                n[i] = numbers[at];
                f[i] = firstIds[at];
                t[i] = times[at];
            }
            numbers = n;
            firstIds = f;
            times = t;
            head = 0;
        }
    }
}

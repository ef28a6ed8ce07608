package io.switchboard.application.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when a test says so: the hub's ticker and, moving with it, its wall clock; and
 * a timer whose tasks run, on the test's thread, when {@link #advance} passes their time.
 */
final class ManualTime extends Clock implements Ticker {
    /** Far from zero, as {@link System#nanoTime()} is: the hub must not take a ticker to start at 0. */
    private long nanos = 7_000_000_000_000L;
    private final Instant start = Instant.parse("2026-12-01T10:00:00Z");
    private final long startNanos = nanos;
    private final List<Task> tasks = new ArrayList<>();
    private final Timer timer = new Timer();

    private record Task(long due, Runnable action) {
    }

    @Override
    public long nanos() {
        return nanos;
    }

    /** Moves time on, running each timer task that falls due on the way, in the order of their times. */
    void advance(Duration by) {
        long target = nanos + by.toNanos();
        for (int run = 0; ; run++) {
            if (run == 10_000) {
                throw new AssertionError("timer tasks keep scheduling each other at " + nanos + " ns: " + tasks);
            }
            Task next = tasks.stream().filter(t -> t.due() - target <= 0).min(Comparator.comparingLong(Task::due)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            nanos = Math.max(nanos, next.due());
            next.action().run();
        }
        nanos = target;
    }

    /** Forgets the timer's tasks, as a timer that missed them would. */
    void loseTimers() {
        tasks.clear();
    }

    /** Timer tasks not yet due. */
    int scheduled() {
        return tasks.size();
    }

    @Override
    public Instant instant() {
        return start.plusNanos(nanos - startNanos);
    }

    /** A scheduler on this time; the hub only schedules one-shot tasks and ignores their futures. */
    Timer timer() {
        return timer;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the hub's clock is UTC");
    }

    /** Only {@code schedule(Runnable, ...)} is supported; no thread is ever started. */
    final class Timer extends ScheduledThreadPoolExecutor {
        private Timer() {
            super(0);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            tasks.add(new Task(nanos + unit.toNanos(delay), command));
            return null;
        }
    }
}

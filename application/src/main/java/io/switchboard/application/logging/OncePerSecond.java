package io.switchboard.application.logging;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets a kind of log line through at most once a second, so that a client repeating a mistake cannot
 * flood the log (SPEC 15); the lines held back are counted, and the next line says how many.
 */
public final class OncePerSecond {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private final AtomicLong lastPassed;
    private final AtomicLong heldBack = new AtomicLong();

    public OncePerSecond() {
        this(System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds, as {@link System#nanoTime()} */
    public OncePerSecond(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastPassed = new AtomicLong(nanoTime.getAsLong() - INTERVAL_NANOS);
    }

    /**
     * @return empty when this line is to be held back; otherwise what to end it with: nothing, or
     *         {@code " (and N more since the last such line)"}
     */
    public Optional<String> pass() {
        long now = nanoTime.getAsLong();
        long last = lastPassed.get();
        if (now - last < INTERVAL_NANOS || !lastPassed.compareAndSet(last, now)) {
            heldBack.incrementAndGet();
            return Optional.empty();
        }
        long more = heldBack.getAndSet(0);
        return Optional.of(more == 0 ? "" : " (and " + more + " more since the last such line)");
    }
}

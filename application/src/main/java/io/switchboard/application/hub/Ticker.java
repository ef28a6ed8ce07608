package io.switchboard.application.hub;

/**
 * The hub's monotonic time, in nanoseconds. Heartbeats, idle and ack timeouts, the inbound rate limit
 * and throttle windows read it rather than {@link System#nanoTime()}, so a test can drive those rules
 * by moving its own ticker instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
    /** What the running hub uses. */
    Ticker SYSTEM = System::nanoTime;

    long nanos();
}

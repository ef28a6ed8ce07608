package io.switchboard.bench;

/**
 * Connects and sends nothing; reads until the hub closes it, then connects again (at once, or after a
 * backoff when refused) — until {@code untilNanos}, when it closes its socket and stops.
 */
final class SilentSocket extends HeadlessAttacker {
    private final long untilNanos;

    /** @param untilNanos when it stops ({@link System#nanoTime()}); {@code Long.MAX_VALUE}: at the end of the run */
    SilentSocket(AttackLoop loop, HeadlessTally tally, long untilNanos) {
        super(loop, tally);
        this.untilNanos = untilNanos;
    }

    @Override
    protected void started() {
        if (untilNanos != Long.MAX_VALUE) {
            schedule(untilNanos);
        }
    }

    @Override
    protected void onTimer() {
        closeSocket(false); // the end of its time: not opened again
    }

    @Override
    protected void again(boolean refused) {
        if (System.nanoTime() < untilNanos) {
            super.again(refused);
        }
    }
}

package io.switchboard.bench;

import org.HdrHistogram.Histogram;

/**
 * What became of sockets that never finish a request head (silent sockets, slowloris): refused at
 * once (the socket cap), or closed by the hub later (the request-head timeout), and when.
 */
final class HeadlessTally {
    /** A socket the hub closes sooner than this after its connect, having sent nothing, was refused at its accept. */
    private final long refusedWithinNanos;
    long connected;
    long refused;
    long closedByHub;
    /** Sockets the hub answered with bytes (an HTTP error, say) instead of just closing them. */
    long answered;
    /** Request heads that were completed (the hub let a trickle run that long). */
    long completed;
    /** Slowloris that went away themselves, in the middle of their headers. */
    long gaveUp;
    long bytesSent;
    long openAtEnd;
    /** Connect → closed by the hub, in milliseconds. */
    final Histogram closedAfterMillis = new Histogram(3_600_000L, 3);

    HeadlessTally(long refusedWithinNanos) {
        this.refusedWithinNanos = refusedWithinNanos;
    }

    /** The hub ended a socket that lived {@code aliveNanos}; returns whether it counts as refused. */
    boolean ended(long aliveNanos, boolean answeredBytes) {
        if (!answeredBytes && aliveNanos < refusedWithinNanos) {
            refused++;
            return true;
        }
        closedByHub++;
        closedAfterMillis.recordValue(Math.min(3_600_000L, aliveNanos / 1_000_000));
        return false;
    }
}

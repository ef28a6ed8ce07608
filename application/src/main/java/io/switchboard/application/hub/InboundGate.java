package io.switchboard.application.hub;

import io.switchboard.domain.TokenBucket;

/**
 * A connection's inbound rate limit (SPEC 8): a token bucket for the client's messages, and the count
 * of refusals within ten seconds that ends the connection. Only the transport's reader uses it, one
 * message at a time, so it needs no locking.
 */
final class InboundGate {
    private static final long REFUSAL_WINDOW_NANOS = 10_000_000_000L;

    /** What becomes of one client message. */
    enum Verdict {
        ADMITTED,
        /** Over the rate, for the first time in the window: refused, and worth an audit entry. */
        FIRST_REFUSAL,
        /** Over the rate again: refused. */
        REFUSED,
        /** Over the rate {@code rate-violations-to-close} times in the window: the connection closes with 4008. */
        CLOSE
    }

    private final HubSettings settings;
    private final TokenBucket bucket;
    private long windowStart;
    private int refusals;

    InboundGate(HubSettings settings, long openedNanos) {
        this.settings = settings;
        this.bucket = new TokenBucket(settings.inboundRatePerSecond(), settings.inboundBurst(), openedNanos);
    }

    Verdict admit(long now) {
        if (bucket.tryTake(now)) {
            return Verdict.ADMITTED;
        }
        // The first refusal opens a window whatever the ticker reads (System.nanoTime() may be negative).
        if (refusals == 0 || now - windowStart > REFUSAL_WINDOW_NANOS) {
            windowStart = now;
            refusals = 0;
        }
        if (++refusals >= settings.rateViolationsToClose()) {
            return Verdict.CLOSE;
        }
        return refusals == 1 ? Verdict.FIRST_REFUSAL : Verdict.REFUSED;
    }

    /** What a refused client is told. */
    String refusal() {
        double rate = settings.inboundRatePerSecond();
        return "too many messages: at most " + (rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate))
                + " per second";
    }
}

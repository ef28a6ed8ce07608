package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inbound rate limit: a full burst at once, then tokens come back at the configured rate. */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 5 * SECOND;

    @Test
    void allowsTheBurstThenRefuses() {
        TokenBucket bucket = new TokenBucket(10, 5, T0);
        assertEquals(5, takeAll(bucket, T0, 100));
        assertFalse(bucket.tryTake(T0));
    }

    @Test
    void refillsAtTheRateByElapsedNanos() {
        TokenBucket bucket = new TokenBucket(10, 5, T0);
        takeAll(bucket, T0, 100);
        long ms = SECOND / 1000;
        assertFalse(bucket.tryTake(T0 + 90 * ms), "0.9 tokens after 90 ms at 10/s");
        assertTrue(bucket.tryTake(T0 + 110 * ms), "1.1 tokens after 110 ms");
        assertFalse(bucket.tryTake(T0 + 110 * ms), "0.1 left");
        assertEquals(3, takeAll(bucket, T0 + 410 * ms, 100), "3.1 tokens 300 ms later");
    }

    @Test
    void refillNeverExceedsTheCapacity() {
        TokenBucket bucket = new TokenBucket(10, 5, T0);
        takeAll(bucket, T0, 100);
        assertEquals(5, takeAll(bucket, T0 + 60 * SECOND, 100), "a long pause refills only up to the burst");
    }

    @Test
    void aClockGoingBackwardsGivesNothingAway() {
        TokenBucket bucket = new TokenBucket(10, 2, T0);
        takeAll(bucket, T0, 100);
        assertFalse(bucket.tryTake(T0 - SECOND));
        assertTrue(bucket.tryTake(T0 + SECOND / 10), "time is measured from the latest reading");
    }

    @Test
    void nonPositiveRateOrCapacityIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 5, T0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 0, T0));
    }

    private static int takeAll(TokenBucket bucket, long now, int max) {
        int taken = 0;
        while (taken < max && bucket.tryTake(now)) {
            taken++;
        }
        return taken;
    }
}

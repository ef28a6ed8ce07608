package io.switchboard.application.hub;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Delivery latencies in log-linear buckets (eight per power of two, so within 12.5 %), over a
 * sliding window of two periods: {@link #rotate()} drops the older one.
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 3;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = 64 * SUB_BUCKETS;

    private volatile AtomicLongArray current = new AtomicLongArray(BUCKETS);
    private volatile AtomicLongArray previous = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        current.incrementAndGet(bucket(Math.max(0, nanos)));
    }

    /** Starts a new period; the window then covers the period that just ended and the new one. */
    public void rotate() {
        previous = current;
        current = new AtomicLongArray(BUCKETS);
    }

    /** The latency in milliseconds under which {@code fraction} of the window's deliveries fell; 0 when none. */
    public double percentileMillis(double fraction) {
        AtomicLongArray a = current;
        AtomicLongArray b = previous;
        long total = 0;
        long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = a.get(i) + b.get(i);
            total += counts[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.round(upperBound(i) / 1_000.0) / 1_000.0;
            }
        }
        return Math.round(upperBound(BUCKETS - 1) / 1_000.0) / 1_000.0;
    }

    static int bucket(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        int sub = (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    static long upperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int exponent = bucket / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        long sub = bucket % SUB_BUCKETS;
        long width = 1L << (exponent - SUB_BUCKET_BITS);
        return (1L << exponent) + (sub + 1) * width - 1;
    }
}

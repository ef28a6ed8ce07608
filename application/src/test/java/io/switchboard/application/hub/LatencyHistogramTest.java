package io.switchboard.application.hub;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log-linear latency buckets: bounded relative error, correct percentiles, a two-period window. */
class LatencyHistogramTest {
    private static final long MS = 1_000_000;

    @Test
    void everyValueFallsInABucketWhoseUpperBoundIsWithinAnEighthAboveIt() {
        for (long value : samples()) {
            int bucket = LatencyHistogram.bucket(value);
            long upper = LatencyHistogram.upperBound(bucket);
            assertTrue(value <= upper, value + " above its bucket's upper bound " + upper);
            assertTrue(upper - value <= value / 8.0, value + " more than 12.5 % below its bucket's upper bound " + upper);
            if (bucket > 0) {
                assertTrue(LatencyHistogram.upperBound(bucket - 1) < value,
                        value + " also fits the previous bucket " + (bucket - 1));
            }
        }
    }

    @Test
    void bucketsAreContiguousAndIncreasing() {
        long previousUpper = -1;
        int previousBucket = -1;
        for (long value = 0; value < 1 << 16; value++) {
            int bucket = LatencyHistogram.bucket(value);
            assertTrue(bucket == previousBucket || bucket == previousBucket + 1, "bucket skipped at " + value);
            if (bucket != previousBucket) {
                assertEquals(previousUpper + 1, value, "bucket " + bucket + " does not start right after the previous one");
                previousBucket = bucket;
                previousUpper = LatencyHistogram.upperBound(bucket);
            }
        }
    }

    @Test
    void emptyHistogramReportsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertEquals(0, histogram.percentileMillis(0.5));
        assertEquals(0, histogram.percentileMillis(0.99));
    }

    @Test
    void percentilesOfAKnownDistributionAreWithinBucketPrecision() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            histogram.record(i * MS); // 1 ms .. 100 ms, one each
        }
        assertWithinBucket(50, histogram.percentileMillis(0.50));
        assertWithinBucket(99, histogram.percentileMillis(0.99));
        assertWithinBucket(100, histogram.percentileMillis(1.0));
        assertWithinBucket(1, histogram.percentileMillis(0.01));
    }

    @Test
    void aSmallSlowTailShowsInP99ButNotInP50() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 980; i++) {
            histogram.record(2 * MS);
        }
        for (int i = 0; i < 20; i++) {
            histogram.record(40 * MS);
        }
        assertWithinBucket(2, histogram.percentileMillis(0.50));
        assertWithinBucket(40, histogram.percentileMillis(0.99));
    }

    @Test
    void negativeDurationsCountAsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5 * MS);
        assertEquals(0, histogram.percentileMillis(0.99));
    }

    @Test
    void dataLeavesTheWindowAfterTwoRotations() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(8 * MS);
        histogram.rotate();
        assertWithinBucket(8, histogram.percentileMillis(0.5));
        histogram.record(1 * MS);
        histogram.rotate();
        assertWithinBucket(1, histogram.percentileMillis(0.99), "the 8 ms sample left with the second rotation");
        histogram.rotate();
        assertEquals(0, histogram.percentileMillis(0.99));
    }

    private static void assertWithinBucket(double expectedMillis, double actualMillis) {
        assertWithinBucket(expectedMillis, actualMillis, "");
    }

    private static void assertWithinBucket(double expectedMillis, double actualMillis, String message) {
        assertTrue(actualMillis >= expectedMillis && actualMillis <= expectedMillis * 1.125 + 0.001,
                "expected " + expectedMillis + " ms to +12.5 %, got " + actualMillis + " ms " + message);
    }

    /** Every value up to 2^16, then powers of two and their neighbours, and a spread of large values. */
    private static List<Long> samples() {
        List<Long> values = new ArrayList<>();
        for (long v = 0; v < 1 << 16; v++) {
            values.add(v);
        }
        for (int shift = 16; shift < 63; shift++) {
            long power = 1L << shift;
            values.add(power - 1);
            values.add(power);
            values.add(power + 1);
            values.add(power + power / 3);
        }
        values.add(Long.MAX_VALUE);
        return values;
    }
}

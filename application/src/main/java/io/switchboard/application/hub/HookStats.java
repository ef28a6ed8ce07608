package io.switchboard.application.hub;

import io.switchboard.application.port.StatsSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls to the application's hooks by kind ({@code connect}, {@code subscribe}, {@code command}):
 * how each ended and how long the answers took (SPEC 16; {@code hooks} in the stats, {@code switchboard_hook_*} in {@code /metrics}).
 */
public final class HookStats {
    /** How a call ended: the hook allowed, refused, or gave no usable answer. */
    public enum Outcome { ALLOWED, REFUSED, FAILED }

    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /** Counts one call of the hook kind {@code kind} that took {@code nanos}. */
    public void record(String kind, Outcome outcome, long nanos) {
        Kind counts = kinds.computeIfAbsent(kind, k -> new Kind());
        counts.outcomes[outcome.ordinal()].increment();
        counts.latency.record(nanos);
    }

    /** Starts a new latency period (see {@link LatencyHistogram#rotate()}). */
    public void rotate() {
        kinds.values().forEach(kind -> kind.latency.rotate());
    }

    /** Every kind called so far, by name. */
    public Map<String, StatsSnapshot.HookCalls> snapshot() {
        Map<String, StatsSnapshot.HookCalls> snapshot = new TreeMap<>();
        kinds.forEach((name, kind) -> snapshot.put(name, new StatsSnapshot.HookCalls(kind.count(Outcome.ALLOWED),
                kind.count(Outcome.REFUSED), kind.count(Outcome.FAILED),
                new StatsSnapshot.LatencyMs(kind.latency.percentileMillis(0.50), kind.latency.percentileMillis(0.99)))));
        return snapshot;
    }

    private static final class Kind {
        private final LongAdder[] outcomes = List.of(Outcome.values()).stream().map(o -> new LongAdder()).toArray(LongAdder[]::new);
        private final LatencyHistogram latency = new LatencyHistogram();

        long count(Outcome outcome) {
            return outcomes[outcome.ordinal()].sum();
        }
    }
}

package io.switchboard.application.hub;

import io.switchboard.domain.Event;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The hub's counters, updated on hot paths without locks. */
public final class HubMetrics {
    /** Distinct event types counted separately; beyond this they are counted as {@code other}. */
    static final int MAX_TYPES = 500;

    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder slowConsumersClosed = new LongAdder();
    private final LongAdder socketsRefused = new LongAdder();
    private final LongAdder handshakeTimeouts = new LongAdder();
    /** How many sockets are open, as the listener counts them; none until it says. */
    private volatile java.util.function.IntSupplier openSockets = () -> 0;
    private final LongAdder criticalResent = new LongAdder();
    private final LongAdder criticalUnacknowledged = new LongAdder();
    private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();
    private final LongAdder redacted = new LongAdder();
    private final Map<BridgeOutcome, LongAdder> bridged = new java.util.EnumMap<>(BridgeOutcome.class);
    private final LatencyHistogram latency = new LatencyHistogram();
    private final HookStats hooks = new HookStats();

    /**
     * What became of one domain event posted to the bridge. {@code REJECTED}: an event of the intake
     * room that is no valid envelope, or whose room events could not be published; it is skipped.
     */
    public enum BridgeOutcome { PUBLISHED, UNMATCHED, UNROUTABLE, REJECTED }

    public HubMetrics() {
        for (BridgeOutcome outcome : BridgeOutcome.values()) {
            bridged.put(outcome, new LongAdder());
        }
    }

    public void published(Event event) {
        published.increment();
        String type = byType.size() < MAX_TYPES || byType.containsKey(event.type()) ? event.type() : "other";
        byType.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    public void delivered(Delivery delivery) {
        delivered.increment();
        if (delivery.live()) {
            latency.record(System.nanoTime() - delivery.receivedNanos());
        }
    }

    public void dropped(long count) {
        if (count > 0) {
            dropped.add(count);
        }
    }

    /** Events whose data redaction changed. */
    public void redacted(long count) {
        if (count > 0) {
            redacted.add(count);
        }
    }

    public void bridged(BridgeOutcome outcome) {
        bridged.get(outcome).increment();
    }

    /** Live events superseded by a later one of their key within a throttle window. */
    public void throttled(long count) {
        throttled.add(count);
    }

    /** Critical events sent again because their ack did not come in time. */
    public void criticalResent(long count) {
        criticalResent.add(count);
    }

    /** Critical events given up on: no ack after every re-send. */
    public void criticalUnacknowledged(long count) {
        criticalUnacknowledged.add(count);
    }

    public void invalidInput() {
        invalid.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public void slowConsumerClosed() {
        slowConsumersClosed.increment();
    }

    public long published() {
        return published.sum();
    }

    public long delivered() {
        return delivered.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public long throttled() {
        return throttled.sum();
    }

    public long criticalResent() {
        return criticalResent.sum();
    }

    public long criticalUnacknowledged() {
        return criticalUnacknowledged.sum();
    }

    public long invalid() {
        return invalid.sum();
    }

    public long rateLimitedCount() {
        return rateLimited.sum();
    }

    /** A socket was closed at its accept: the socket cap was reached. */
    public void socketRefused() {
        socketsRefused.increment();
    }

    /** A socket was closed for not sending a complete request head in time. */
    public void handshakeTimedOut() {
        handshakeTimeouts.increment();
    }

    /** Where the open sockets are counted. */
    public void countOpenSockets(java.util.function.IntSupplier count) {
        openSockets = count;
    }

    public long socketsRefused() {
        return socketsRefused.sum();
    }

    public long handshakeTimeouts() {
        return handshakeTimeouts.sum();
    }

    public int openSockets() {
        return openSockets.getAsInt();
    }

    public long slowConsumersClosed() {
        return slowConsumersClosed.sum();
    }

    public long redacted() {
        return redacted.sum();
    }

    /** Domain events by outcome: {@code published}, {@code unmatched}, {@code unroutable}. */
    public Map<String, Long> bridged() {
        Map<String, Long> copy = new java.util.LinkedHashMap<>();
        bridged.forEach((outcome, count) -> copy.put(outcome.name().toLowerCase(java.util.Locale.ROOT), count.sum()));
        return copy;
    }

    public Map<String, Long> byType() {
        Map<String, Long> copy = new TreeMap<>();
        byType.forEach((type, count) -> copy.put(type, count.sum()));
        return copy;
    }

    /** Calls to the application's backend hooks. */
    public HookStats hooks() {
        return hooks;
    }

    public LatencyHistogram latency() {
        return latency;
    }
}

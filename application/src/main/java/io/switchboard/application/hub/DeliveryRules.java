package io.switchboard.application.hub;

import io.switchboard.domain.RoomName;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the hub does beyond queueing events (SPEC 6, 8): throttling of keyed events per namespace,
 * acknowledgement of critical events per namespace, and the idle timeout of connections.
 *
 * @param throttles   namespace → throttle window for its keyed events; a namespace not listed is not throttled
 * @param acks        namespace → how its critical events are acknowledged; others use {@code defaultAck}
 * @param defaultAck  acknowledgement of critical events in namespaces not listed
 * @param idleTimeout a client that sent no message for this long is closed with 4012; zero: never
 */
public record DeliveryRules(Map<String, Duration> throttles, Map<String, AckRule> acks, AckRule defaultAck, Duration idleTimeout) {
    /** Default {@code ack-timeout}: 10 s, {@code ack-retries}: 3 (SPEC 6). */
    public static final AckRule DEFAULT_ACK = new AckRule(Duration.ofSeconds(10), 3);

    /**
     * @param timeout a critical event not acknowledged within this long after it was written is re-sent
     * @param retries re-sends before the event counts as unacknowledged and is no longer tracked
     */
    public record AckRule(Duration timeout, int retries) {
        public AckRule {
            positive(timeout, "ack timeout");
            if (retries < 0) {
                throw new IllegalArgumentException("ack retries must not be negative");
            }
        }
    }

    public DeliveryRules {
        throttles = Map.copyOf(throttles);
        acks = Map.copyOf(acks);
        Objects.requireNonNull(defaultAck, "defaultAck");
        throttles.values().forEach(window -> positive(window, "throttle window"));
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must be zero (off) or positive");
        }
    }

    /** No throttling, default acknowledgements, no idle timeout. */
    public static DeliveryRules defaults() {
        return new DeliveryRules(Map.of(), Map.of(), DEFAULT_ACK, Duration.ZERO);
    }

    /** The throttle window of {@code room}'s namespace, or {@code null} when its events are not throttled. */
    public Duration throttle(RoomName room) {
        return throttles.isEmpty() ? null : throttles.get(room.namespace());
    }

    public AckRule ack(RoomName room) {
        return acks.isEmpty() ? defaultAck : acks.getOrDefault(room.namespace(), defaultAck);
    }

    public boolean idleTimeoutEnabled() {
        return !idleTimeout.isZero();
    }

    /** The shortest span a periodic check must resolve: the shortest ack timeout, or the idle timeout. */
    Duration shortestTimer() {
        Duration shortest = defaultAck.timeout();
        for (AckRule rule : acks.values()) {
            shortest = rule.timeout().compareTo(shortest) < 0 ? rule.timeout() : shortest;
        }
        return idleTimeoutEnabled() && idleTimeout.compareTo(shortest) < 0 ? idleTimeout : shortest;
    }

    private static void positive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}

package io.switchboard.application.hub;

import io.switchboard.domain.OverflowPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * How the local hub treats connections.
 *
 * @param outboundMaxMessages     events a connection may have queued before the overflow policy applies
 * @param outboundMaxBytes        bytes (estimated) a connection may have queued before the overflow policy applies
 * @param heartbeatInterval       a ping frame is sent this long after the previous pong
 * @param heartbeatTimeout        no pong within this long after a ping closes the connection with 4011
 * @param inboundMaxBytes         larger client messages (all fragments together) close the connection with 1009
 * @param inboundRatePerSecond    token-bucket refill rate for client messages
 * @param inboundBurst            token-bucket capacity for client messages
 * @param rateViolationsToClose   this many rate-limited messages within ten seconds close the connection with 4008
 * @param maxRoomsPerConnection   joins beyond this fail with {@code SUBSCRIPTION_FAILED}
 * @param closeGrace              a connection whose close frame cannot be written within this long is cut off
 * @param shutdownGrace           time allowed, on shutdown, for clients to receive {@code disconnect} and close
 * @param maxConnectionsPerRoom   joins of a room that has this many local members fail with {@code CONNECTION_LIMIT}; 0: no limit
 */
public record HubSettings(int outboundMaxMessages, long outboundMaxBytes, OverflowPolicy overflowPolicy,
                          Duration heartbeatInterval, Duration heartbeatTimeout,
                          int inboundMaxBytes, double inboundRatePerSecond, int inboundBurst, int rateViolationsToClose,
                          int maxRoomsPerConnection, Duration closeGrace, Duration shutdownGrace, int maxConnectionsPerRoom) {
    public HubSettings {
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        positive("outboundMaxMessages", outboundMaxMessages);
        positive("outboundMaxBytes", outboundMaxBytes);
        positive("inboundMaxBytes", inboundMaxBytes);
        positive("inboundBurst", inboundBurst);
        positive("rateViolationsToClose", rateViolationsToClose);
        positive("maxRoomsPerConnection", maxRoomsPerConnection);
        if (maxConnectionsPerRoom < 0) {
            throw new IllegalArgumentException("maxConnectionsPerRoom must not be negative");
        }
        if (!(inboundRatePerSecond > 0)) {
            throw new IllegalArgumentException("inboundRatePerSecond must be positive");
        }
        for (Duration d : new Duration[] {heartbeatInterval, heartbeatTimeout, closeGrace, shutdownGrace}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
    }

    public static HubSettings defaults() {
        return new HubSettings(1024, 1024 * 1024, OverflowPolicy.DISCONNECT,
                Duration.ofSeconds(30), Duration.ofSeconds(10),
                4096, 10, 10, 20, 100, Duration.ofSeconds(10), Duration.ofSeconds(10), 0);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}

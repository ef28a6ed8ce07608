package io.switchboard.application.port;

import java.util.Map;

/** The shape of {@code GET /api/v1/stats} and of {@code stats_update} (SPEC 10). */
public record StatsSnapshot(String timestamp, long uptimeSeconds, Connections connections, Rooms rooms, Events events,
                            Rates rates, LatencyMs latencyMs, Sockets sockets) {

    /**
     * @param open              sockets open now, upgraded or not
     * @param refused           sockets closed at their accept because the socket cap was reached
     * @param handshakeTimeouts sockets closed for not sending a complete request head in time
     */
    public record Sockets(long open, long refused, long handshakeTimeouts) {
    }

    public record Connections(long total, long websocket, long sse, Map<String, Long> byEndpoint) {
    }

    public record Rooms(long active) {
    }

    /**
     * @param redacted events whose data {@code hub.redaction} changed
     * @param bridge   domain events posted to the bridge, by outcome: published, unmatched, unroutable, rejected (bus intake)
     * @param critical critical events sent again for want of an ack ({@code resent}) and given up on ({@code unacknowledged})
     */
    public record Events(long published, long delivered, long dropped, long throttled, long invalid,
                         Map<String, Long> byType, long redacted, Map<String, Long> bridge, Map<String, Long> critical) {
    }

    public record Rates(double publishedPerSec, double deliveredPerSec) {
    }

    public record LatencyMs(double p50, double p99) {
    }
}

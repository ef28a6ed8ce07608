package io.switchboard.application.stats;

import java.util.Map;

/** The shape of {@code GET /api/v1/stats} and of {@code stats_update} (SPEC 10). */
public record StatsSnapshot(String timestamp, long uptimeSeconds, Connections connections, Rooms rooms, Events events,
                            Rates rates, LatencyMs latencyMs) {

    public record Connections(long total, long websocket, long sse, Map<String, Long> byEndpoint) {
    }

    public record Rooms(long active) {
    }

    public record Events(long published, long delivered, long dropped, long throttled, long invalid,
                         Map<String, Long> byType) {
    }

    public record Rates(double publishedPerSec, double deliveredPerSec) {
    }

    public record LatencyMs(double p50, double p99) {
    }
}

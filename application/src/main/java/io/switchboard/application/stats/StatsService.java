package io.switchboard.application.stats;

import io.switchboard.application.hub.LatencyHistogram;
import io.switchboard.application.port.StatsSnapshot;
import io.switchboard.application.hub.HubMetrics;

import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.in.StatsQuery;
import io.switchboard.domain.Timestamps;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/** Answers stats queries, samples rates once a second and pushes {@code stats_update} to {@code $stats}. */
public final class StatsService implements StatsQuery {
    private static final int RATE_WINDOW_SAMPLES = 6;
    private static final int LATENCY_PERIOD_SAMPLES = 10;

    private final Hub hub;
    private final HubMetrics metrics;
    private final Clock clock;
    private final Instant startedAt;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private int samplesSinceRotation;

    public StatsService(Hub hub, HubMetrics metrics, Clock clock) {
        this.hub = hub;
        this.metrics = metrics;
        this.clock = clock;
        this.startedAt = clock.instant();
        sample();
    }

    @Override
    public StatsSnapshot stats() {
        Instant now = clock.instant();
        long websocket = 0;
        long sse = 0;
        Map<String, Long> byEndpoint = new TreeMap<>();
        for (Connection connection : hub.connections()) {
            if ("sse".equals(connection.spec().transport())) {
                sse++;
            } else {
                websocket++;
            }
            byEndpoint.merge(connection.spec().endpoint(), 1L, Long::sum);
        }
        double[] rates = rates();
        LatencyHistogram latency = metrics.latency();
        return new StatsSnapshot(
                Timestamps.format(now),
                Math.max(0, now.getEpochSecond() - startedAt.getEpochSecond()),
                new StatsSnapshot.Connections(websocket + sse, websocket, sse, byEndpoint),
                new StatsSnapshot.Rooms(hub.activeRooms()),
                new StatsSnapshot.Events(metrics.published(), metrics.delivered(), metrics.dropped(),
                        metrics.throttled(), metrics.invalid(), metrics.byType(), metrics.redacted(), metrics.bridged(),
                        java.util.Map.of("resent", metrics.criticalResent(), "unacknowledged", metrics.criticalUnacknowledged())),
                new StatsSnapshot.Rates(rates[0], rates[1]),
                new StatsSnapshot.LatencyMs(latency.percentileMillis(0.50), latency.percentileMillis(0.99)),
                new StatsSnapshot.Sockets(metrics.openSockets(), metrics.socketsRefused(), metrics.handshakeTimeouts()),
                metrics.hooks().snapshot());
    }

    /** Records the counters for the per-second rates; call once a second. */
    public synchronized void sample() {
        samples.addLast(new Sample(System.nanoTime(), metrics.published(), metrics.delivered()));
        while (samples.size() > RATE_WINDOW_SAMPLES) {
            samples.removeFirst();
        }
        if (++samplesSinceRotation >= LATENCY_PERIOD_SAMPLES) {
            samplesSinceRotation = 0;
            metrics.latency().rotate();
            metrics.hooks().rotate();
        }
    }

    /** Pushes the current stats to every member of {@code $stats}. */
    public void broadcast() {
        hub.broadcast(Hub.STATS_ROOM, new Outbound.StatsUpdate(stats()));
    }

    /** Pushes the current stats to every client of the endpoint at {@code path} (a configured endpoint's {@code stats-interval}). */
    public void pushToEndpoint(String path) {
        StatsSnapshot snapshot = null;
        for (Connection connection : hub.connections()) {
            if (connection.spec().endpoint().equals(path)) {
                if (snapshot == null) {
                    snapshot = stats();
                }
                connection.send(new Outbound.StatsUpdate(snapshot));
            }
        }
    }

    private synchronized double[] rates() {
        if (samples.size() < 2) {
            return new double[] {0, 0};
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = (last.nanos - first.nanos) / 1e9;
        if (seconds <= 0) {
            return new double[] {0, 0};
        }
        return new double[] {round((last.published - first.published) / seconds),
                round((last.delivered - first.delivered) / seconds)};
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private record Sample(long nanos, long published, long delivered) {
    }
}

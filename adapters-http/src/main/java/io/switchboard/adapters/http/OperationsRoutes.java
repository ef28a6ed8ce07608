package io.switchboard.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.port.in.StatsQuery;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.application.port.StatsSnapshot;

import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /api/v1/stats}, {@code /health} (liveness and readiness) and {@code /metrics} (Prometheus text). */
final class OperationsRoutes implements HttpService {
    private final StatsQuery stats;
    private final HubMetrics metrics;
    private final BooleanSupplier accepting;

    OperationsRoutes(StatsQuery stats, HubMetrics metrics, BooleanSupplier accepting) {
        this.stats = stats;
        this.metrics = metrics;
        this.accepting = accepting;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/stats", (req, res) -> JsonBodies.send(res, Status.OK_200, CanonicalDialect.stats(stats.stats())))
                .get("/health", this::ready)
                .get("/health/ready", this::ready)
                .get("/health/live", (req, res) -> JsonBodies.send(res, Status.OK_200, "{\"status\":\"UP\"}"))
                .get("/metrics", this::prometheus);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        if (accepting.getAsBoolean()) {
            JsonBodies.send(res, Status.OK_200, "{\"status\":\"UP\",\"checks\":[{\"name\":\"hub\",\"status\":\"UP\"}]}");
        } else {
            JsonBodies.send(res, Status.SERVICE_UNAVAILABLE_503,
                    "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"hub\",\"status\":\"DOWN\",\"reason\":\"shutting down\"}]}");
        }
    }

    private void prometheus(ServerRequest req, ServerResponse res) {
        StatsSnapshot s = stats.stats();
        StringBuilder out = new StringBuilder(2048);
        gauge(out, "switchboard_connections", "Open client connections by transport.");
        out.append("switchboard_connections{transport=\"websocket\"} ").append(s.connections().websocket()).append('\n');
        out.append("switchboard_connections{transport=\"sse\"} ").append(s.connections().sse()).append('\n');
        gauge(out, "switchboard_rooms_active", "Rooms with at least one local subscriber.");
        out.append("switchboard_rooms_active ").append(s.rooms().active()).append('\n');
        counter(out, "switchboard_events_published_total", "Events accepted into rooms.", s.events().published());
        counter(out, "switchboard_events_delivered_total", "Event messages written to clients.", s.events().delivered());
        counter(out, "switchboard_events_dropped_total", "Queued messages discarded for slow consumers.", s.events().dropped());
        counter(out, "switchboard_events_throttled_total", "Events coalesced away by throttling.", s.events().throttled());
        counter(out, "switchboard_critical_resent_total", "Critical events sent again for want of an ack.", metrics.criticalResent());
        counter(out, "switchboard_critical_unacknowledged_total", "Critical events still unacknowledged after every re-send.",
                metrics.criticalUnacknowledged());
        counter(out, "switchboard_messages_invalid_total", "Client messages and publishes rejected as invalid.", s.events().invalid());
        counter(out, "switchboard_inbound_rate_limited_total", "Client messages refused by the inbound rate limit.", metrics.rateLimitedCount());
        counter(out, "switchboard_slow_consumers_closed_total", "Connections closed with 4010 for a full outbound queue.", metrics.slowConsumersClosed());
        gauge(out, "switchboard_sockets_open", "Open sockets, upgraded or not (hub.limits.max-sockets caps them).");
        out.append("switchboard_sockets_open ").append(s.sockets().open()).append('\n');
        counter(out, "switchboard_sockets_refused_total", "Sockets closed at their accept: the socket cap was reached.", s.sockets().refused());
        counter(out, "switchboard_handshake_timeouts_total", "Sockets closed for not sending a complete request head in time.",
                s.sockets().handshakeTimeouts());
        counter(out, "switchboard_events_redacted_total", "Events whose data hub.redaction changed before storing.", s.events().redacted());
        out.append("# HELP switchboard_bridge_events_total Domain events posted to the bridge, by outcome.\n");
        out.append("# TYPE switchboard_bridge_events_total counter\n");
        for (Map.Entry<String, Long> outcome : s.events().bridge().entrySet()) {
            out.append("switchboard_bridge_events_total{outcome=\"").append(outcome.getKey()).append("\"} ")
                    .append(outcome.getValue()).append('\n');
        }
        out.append("# HELP switchboard_events_published_by_type_total Events accepted, by type.\n");
        out.append("# TYPE switchboard_events_published_by_type_total counter\n");
        for (Map.Entry<String, Long> type : s.events().byType().entrySet()) {
            out.append("switchboard_events_published_by_type_total{type=\"").append(type.getKey()).append("\"} ")
                    .append(type.getValue()).append('\n');
        }
        gauge(out, "switchboard_delivery_latency_ms", "Publish-to-write latency over the last 10 to 20 seconds.");
        out.append("switchboard_delivery_latency_ms{quantile=\"0.5\"} ").append(s.latencyMs().p50()).append('\n');
        out.append("switchboard_delivery_latency_ms{quantile=\"0.99\"} ").append(s.latencyMs().p99()).append('\n');
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(out.toString());
    }

    private static void gauge(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }
}

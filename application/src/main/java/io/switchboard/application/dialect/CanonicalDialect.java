package io.switchboard.application.dialect;

import io.switchboard.application.json.JsonText;
import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.hub.Delivery;
import io.switchboard.application.hub.MessageRenderer;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.StatsSnapshot;
import io.switchboard.domain.Event;
import io.switchboard.domain.Timestamps;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The canonical wire protocol (SPEC 3.1): {@code {"type","data","timestamp"}} for the hub's own
 * messages; room events add {@code room} and {@code id}, and their {@code meta} fields at top level
 * ({@code "ack": true} for critical events).
 */
public final class CanonicalDialect implements MessageRenderer {
    private final Clock clock;
    /** One instance for every canonical dialect (WebSocket, SSE, ...), so each event is rendered once for all of them. */
    private static final Function<Event, String> EVENTS = CanonicalDialect::renderEvent;

    public CanonicalDialect(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String render(Outbound message) {
        if (message instanceof Delivery delivery) {
            return delivery.frame(EVENTS);
        }
        return EnvelopeFrame.control(DialectSpec.Envelope.DATA, typeOf(message), data(message), Timestamps.format(clock.instant()));
    }

    /** The {@code data} of one of the hub's own messages, as JSON text; every dialect shares it. */
    static String data(Outbound message) {
        return switch (message) {
            case Outbound.Connected c -> new JsonText(160)
                    .string("connectionId", c.connectionId())
                    .string("userId", c.userId())
                    .raw("rooms", stringArray(c.rooms()))
                    .raw("heartbeat", new JsonText(48)
                            .number("intervalMs", c.heartbeatIntervalMs())
                            .number("timeoutMs", c.heartbeatTimeoutMs()).close())
                    .close();
            case Outbound.Joined j -> new JsonText(96)
                    .string("room", j.room())
                    .bool("recovered", j.recovered())
                    .string("lastId", j.lastId())
                    .string("reason", j.reason())
                    .string("oldestId", j.oldestId())
                    .close();
            case Outbound.Left l -> new JsonText(64).string("room", l.room()).string("reason", l.reason()).close();
            case Outbound.State st -> new JsonText(st.state().length() + 64)
                    .string("room", st.room())
                    .raw("state", st.state())
                    .string("lastId", st.lastId())
                    .close();
            case Outbound.Pong p -> p.data();
            case Outbound.Error e -> error(e, e.code());
            case Outbound.CommandResult r -> new JsonText(r.result() == null ? 48 : r.result().length() + 48)
                    .string("ref", r.ref())
                    .raw("result", r.result() == null ? "null" : r.result())
                    .close();
            case Outbound.Disconnect d -> reconnectAdvice(new JsonText(96).number("code", d.code()).string("reason", d.reason()), d).close();
            case Outbound.ConnectionState s -> new JsonText(96).string("status", s.state()).string("message", s.message()).close();
            case Outbound.StatsUpdate s -> stats(s.stats());
            case Outbound.Audit a -> audit(a.entry());
            case Outbound.Notice n -> n.data();
            case Delivery d -> throw new IllegalArgumentException("events are rendered whole");
            case Outbound.Ping p -> throw notText(p);
            case Outbound.PingReply p -> throw notText(p);
            case Outbound.Close c -> throw notText(c);
        };
    }

    /** Appends a {@code disconnect} notice's {@code reconnect} and, when given, {@code retryAfterMs} to {@code json}. */
    static JsonText reconnectAdvice(JsonText json, Outbound.Disconnect d) {
        json.bool("reconnect", d.reconnect());
        if (d.retryAfterMs() != null) {
            json.number("retryAfterMs", d.retryAfterMs());
        }
        return json;
    }

    /** The data of an {@code error} whose code is written as {@code code}. */
    static String error(Outbound.Error e, String code) {
        JsonText data = new JsonText(128)
                .string("code", code)
                .string("message", e.message())
                .string("ref", e.ref());
        if (e.dropped() != null) {
            data.number("dropped", e.dropped());
        }
        return data.close();
    }

    /** The {@code type} a message has on the wire. */
    public static String typeOf(Outbound message) {
        return switch (message) {
            case Delivery delivery -> delivery.event().type();
            case Outbound.Connected c -> "connected";
            case Outbound.Joined j -> "joined";
            case Outbound.Left l -> "left";
            case Outbound.State st -> "state";
            case Outbound.Pong p -> "pong";
            case Outbound.Error e -> "error";
            case Outbound.CommandResult r -> "command_result";
            case Outbound.Disconnect d -> "disconnect";
            case Outbound.ConnectionState s -> "connection_status";
            case Outbound.StatsUpdate s -> "stats_update";
            case Outbound.Audit a -> "audit";
            case Outbound.Notice n -> n.type();
            case Outbound.Ping p -> throw notText(p);
            case Outbound.PingReply p -> throw notText(p);
            case Outbound.Close c -> throw notText(c);
        };
    }

    /** One audit entry as the audit stream and {@code GET /api/v1/audit} show it. */
    public static String audit(AuditEntry e) {
        return new JsonText(256)
                .number("seq", e.seq())
                .string("time", Timestamps.format(e.time()))
                .string("type", e.type())
                .string("connectionId", e.connectionId())
                .string("userId", e.userId())
                .string("ip", e.ip())
                .string("endpoint", e.endpoint())
                .string("outcome", e.outcome())
                .string("room", e.room())
                .string("detail", e.detail())
                .close();
    }

    /** The stats object as {@code GET /api/v1/stats} returns it. */
    public static String stats(StatsSnapshot s) {
        return new JsonText(512)
                .string("timestamp", s.timestamp())
                .number("uptimeSeconds", s.uptimeSeconds())
                .raw("connections", new JsonText(128)
                        .number("total", s.connections().total())
                        .number("websocket", s.connections().websocket())
                        .number("sse", s.connections().sse())
                        .raw("byEndpoint", counts(s.connections().byEndpoint())).close())
                .raw("rooms", new JsonText(24).number("active", s.rooms().active()).close())
                .raw("events", new JsonText(160)
                        .number("published", s.events().published())
                        .number("delivered", s.events().delivered())
                        .number("dropped", s.events().dropped())
                        .number("throttled", s.events().throttled())
                        .number("invalid", s.events().invalid())
                        .raw("byType", counts(s.events().byType()))
                        .number("redacted", s.events().redacted())
                        .raw("bridge", counts(s.events().bridge()))
                        .raw("critical", counts(new java.util.TreeMap<>(s.events().critical()))).close())
                .raw("rates", new JsonText(64)
                        .number("publishedPerSec", s.rates().publishedPerSec())
                        .number("deliveredPerSec", s.rates().deliveredPerSec()).close())
                .raw("latencyMs", new JsonText(32)
                        .number("p50", s.latencyMs().p50())
                        .number("p99", s.latencyMs().p99()).close())
                .raw("sockets", new JsonText(64)
                        .number("open", s.sockets().open())
                        .number("refused", s.sockets().refused())
                        .number("handshakeTimeouts", s.sockets().handshakeTimeouts()).close())
                .raw("hooks", hooks(s.hooks()))
                .close();
    }

    /** {@code {"connect": {"allowed", "refused", "failed", "latencyMs": {p50, p99}}, ...}}: each hook kind called so far. */
    private static String hooks(Map<String, StatsSnapshot.HookCalls> hooks) {
        JsonText json = new JsonText(160 * hooks.size() + 2);
        hooks.forEach((kind, calls) -> json.raw(kind, new JsonText(128)
                .number("allowed", calls.allowed())
                .number("refused", calls.refused())
                .number("failed", calls.failed())
                .raw("latencyMs", new JsonText(32).number("p50", calls.latencyMs().p50()).number("p99", calls.latencyMs().p99()).close())
                .close()));
        return json.close();
    }

    /** A room event in the canonical form (what {@link #render} gives for its delivery). */
    public static String renderEvent(Event event) {
        return EnvelopeFrame.event(DialectSpec.Envelope.DATA, event.type(), event);
    }

    private static String counts(Map<String, Long> counts) {
        JsonText json = new JsonText(32 * counts.size() + 2);
        counts.forEach(json::number);
        return json.close();
    }

    private static String stringArray(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.quote(sb, values.get(i));
        }
        return sb.append(']').toString();
    }

    private static IllegalArgumentException notText(Outbound message) {
        return new IllegalArgumentException(message.getClass().getSimpleName() + " is a transport frame, not text");
    }
}

package io.switchboard.application.dialect;

import io.switchboard.application.json.JsonText;
import io.switchboard.application.hub.Delivery;
import io.switchboard.application.hub.MessageRenderer;
import io.switchboard.application.hub.Outbound;
import io.switchboard.domain.Event;
import io.switchboard.domain.Timestamps;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A configured endpoint's dialect ({@link DialectSpec}): the canonical messages with their data in
 * another envelope, renamed types and error codes, and a {@code connected} message of its own fields.
 * One instance per endpoint, so a room event is rendered once for all of the endpoint's clients.
 */
public final class ConfiguredDialect implements MessageRenderer {
    private final DialectSpec spec;
    private final Clock clock;
    /** The values of the connection's path parameters ({@code connected} templates name them); none for the endpoint's own instance. */
    private final Function<String, String> parameters;
    /** Shared by the endpoint's instance and every connection's, so a room event is rendered once for all. */
    private final Function<Event, String> eventRenderer;

    public ConfiguredDialect(DialectSpec spec, Clock clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.clock = clock;
        this.parameters = name -> null;
        this.eventRenderer = this::renderEvent;
    }

    private ConfiguredDialect(ConfiguredDialect endpoint, Map<String, String> pathParameters) {
        this.spec = endpoint.spec;
        this.clock = endpoint.clock;
        this.parameters = Map.copyOf(pathParameters)::get;
        this.eventRenderer = endpoint.eventRenderer;
    }

    public DialectSpec spec() {
        return spec;
    }

    @Override
    public String render(Outbound message) {
        return render(message, parameters);
    }

    @Override
    public boolean acks() {
        return spec.acks();
    }

    @Override
    public boolean announcesConnectionState() {
        return spec.connectionState() != null;
    }

    /** The renderer of one connection, whose {@code connected} templates may name its path parameters. */
    public MessageRenderer forConnection(Map<String, String> pathParameters) {
        return new ConfiguredDialect(this, pathParameters);
    }

    private String render(Outbound message, Function<String, String> parameters) {
        if (message instanceof Delivery delivery) {
            return delivery.frame(eventRenderer);
        }
        String data = switch (message) {
            case Outbound.Connected c when !spec.connected().isEmpty() -> connected(c, parameters);
            case Outbound.Error e -> CanonicalDialect.error(e, spec.error(e.code()));
            case Outbound.Disconnect d when spec.connectionState() != null -> stateNotice(d);
            default -> CanonicalDialect.data(message);
        };
        String type = spec.connectionState() != null && (message instanceof Outbound.ConnectionState || message instanceof Outbound.Disconnect)
                ? spec.connectionState() : spec.type(CanonicalDialect.typeOf(message));
        return EnvelopeFrame.control(spec.controlEnvelope(), type, data, Timestamps.format(clock.instant()));
    }

    /**
     * The {@code disconnect} notice as the dialect's status message: {@code reconnecting} when the client should
     * come back (shutdown, heartbeat timeout, ...), {@code disconnected} when not; the notice's fields follow.
     */
    private static String stateNotice(Outbound.Disconnect d) {
        return CanonicalDialect.reconnectAdvice(new JsonText(128).string("status", d.reconnect() ? "reconnecting" : "disconnected")
                .string("message", d.reason()).number("code", d.code()), d).close();
    }

    /** The configured fields; a path parameter wins over {@code connectionId}, {@code userId} and {@code sub}. */
    private String connected(Outbound.Connected c, Function<String, String> parameters) {
        Function<String, String> values = name -> {
            String value = parameters.apply(name);
            if (value != null) {
                return value;
            }
            return switch (name) {
                case "connectionId" -> c.connectionId();
                case "userId", "sub" -> c.userId();
                default -> null;
            };
        };
        JsonText json = new JsonText(128);
        spec.connected().forEach((field, template) -> json.raw(field, template.json(values)));
        return json.close();
    }

    private String renderEvent(Event event) {
        return EnvelopeFrame.event(spec.envelope(), event.type(), event, spec.acks());
    }
}

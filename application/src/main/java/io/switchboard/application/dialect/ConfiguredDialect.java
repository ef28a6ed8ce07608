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
    private final Function<Event, String> eventRenderer = this::renderEvent;

    public ConfiguredDialect(DialectSpec spec, Clock clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.clock = clock;
    }

    public DialectSpec spec() {
        return spec;
    }

    @Override
    public String render(Outbound message) {
        return render(message, name -> null);
    }

    /** The renderer of one connection, whose {@code connected} templates may name its path parameters. */
    public MessageRenderer forConnection(Map<String, String> pathParameters) {
        Map<String, String> parameters = Map.copyOf(pathParameters);
        return message -> render(message, parameters::get);
    }

    private String render(Outbound message, Function<String, String> parameters) {
        if (message instanceof Delivery delivery) {
            return delivery.frame(eventRenderer);
        }
        String data = switch (message) {
            case Outbound.Connected c when !spec.connected().isEmpty() -> connected(c, parameters);
            case Outbound.Error e -> CanonicalDialect.error(e, spec.error(e.code()));
            default -> CanonicalDialect.data(message);
        };
        return EnvelopeFrame.control(spec.controlEnvelope(), spec.type(CanonicalDialect.typeOf(message)), data,
                Timestamps.format(clock.instant()));
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
        return EnvelopeFrame.event(spec.envelope(), event.type(), event);
    }
}

package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.domain.ErrorCode;

/**
 * The events a Socket.IO client emits (SPEC 3.2): {@code join}, {@code leave} and {@code sync}, each
 * with a room argument. A text (or number) argument fills the configured room template
 * ({@code "abc-123"} → {@code webhook:abc-123}); an object {@code {room, since?}} names the room in full
 * and may resume after an event id. The answer is an event ({@code joined}, {@code left}, {@code state}
 * or {@code error}) and, when the client asked for one, an ack with the same object.
 */
final class SocketIoEvents {
    private final Hub hub;
    private final SocketIoSettings settings;

    SocketIoEvents(Hub hub, SocketIoSettings settings) {
        this.hub = hub;
        this.settings = settings;
    }

    /** The room an event names, and where to resume ({@code since}, or {@code null}). */
    private record Target(String room, String since) {
    }

    void handle(Connection connection, SocketIoDialect dialect, SocketIoPacket packet) {
        String ref = packet.ackId() == null ? null : packet.ackId().toString();
        JsonNode args = packet.data();
        if (args == null || !args.isArray() || args.isEmpty() || !args.get(0).isTextual()) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "an event is an array whose first element is its name", ref);
            return;
        }
        String name = args.get(0).textValue();
        String answer = switch (name) {
            case "join" -> "joined";
            case "leave" -> "left";
            case "sync" -> "state";
            default -> null;
        };
        if (answer == null) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "unknown event '" + abbreviate(name) + "'; expected join, leave or sync", ref);
            return;
        }
        Target target = target(args.get(1));
        if (target == null) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID,
                    name + " needs a room: a text argument (\"abc-123\") or an object {\"room\": …}", ref);
            return;
        }
        if (packet.ackId() != null) {
            dialect.expectAck(answer, target.room(), packet.ackId());
        }
        switch (name) {
            case "join" -> hub.join(connection, target.room(), target.since(), ref);
            case "leave" -> hub.leave(connection, target.room(), ref);
            default -> hub.sync(connection, target.room(), ref);
        }
    }

    private Target target(JsonNode arg) {
        if (arg == null) {
            return null;
        }
        if (arg.isTextual() || arg.isIntegralNumber()) {
            return new Target(settings.roomFor(arg.asText()), null);
        }
        if (arg.isObject() && arg.path("room").isTextual()) {
            JsonNode since = arg.get("since");
            return new Target(arg.get("room").textValue(), since == null || since.isNull() ? null : since.asText());
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}

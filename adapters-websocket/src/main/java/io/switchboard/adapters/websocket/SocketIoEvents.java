package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.presence.PresenceService;
import io.switchboard.domain.ErrorCode;

/**
 * The events a Socket.IO client emits (SPEC 3.2): {@code join}, {@code leave}, {@code sync} and
 * {@code presence}, each with a room argument. A text (or number) argument fills the configured room
 * template ({@code "abc-123"} → {@code webhook:abc-123}); an object {@code {room, since?}} names the room
 * in full and may resume after an event id ({@code presence}: {@code {room, limit?, after?}}, a page of
 * the members). The answer is an event ({@code joined}, {@code left}, {@code state}, {@code presence} or
 * {@code error}) and, when the client asked for one, an ack with the same object.
 */
final class SocketIoEvents {
    private final Hub hub;
    private final SocketIoSettings settings;
    private final PresenceService presence;

    SocketIoEvents(Hub hub, SocketIoSettings settings, PresenceService presence) {
        this.hub = hub;
        this.settings = settings;
        this.presence = presence;
    }

    /** The room an event names; where to resume ({@code since}); a presence page's {@code limit} and {@code after}. */
    private record Target(String room, String since, String limit, String after) {
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
            case "presence" -> "presence";
            default -> null;
        };
        if (answer == null) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "unknown event '" + abbreviate(name)
                    + "'; expected join, leave, sync or presence", ref);
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
            case "sync" -> hub.sync(connection, target.room(), ref);
            default -> presence.ask(connection, target.room(), target.limit(), target.after(), ref);
        }
    }

    private Target target(JsonNode arg) {
        if (arg == null) {
            return null;
        }
        if (arg.isTextual() || arg.isIntegralNumber()) {
            return new Target(settings.roomFor(arg.asText()), null, null, null);
        }
        if (arg.isObject() && arg.path("room").isTextual()) {
            JsonNode since = arg.get("since");
            return new Target(arg.get("room").textValue(), since == null || since.isNull() ? null : since.asText(),
                    ClientMessages.scalar(arg.get("limit")), ClientMessages.scalar(arg.get("after")));
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}

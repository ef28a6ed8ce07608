package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.application.audit.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.in.CommandRequest;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.SendCommandUseCase;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.RoomName;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The canonical client → server messages (SPEC 3.1): {@code {"type": ..., "data": {...}, "ref"?: ...}}.
 * Anything malformed gets {@code error MESSAGE_INVALID} saying what was wrong; the connection stays.
 */
final class ClientMessages {
    /** One JSON value per message: anything after it (a second object, stray text) makes the message invalid. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Hub hub;
    private final SendCommandUseCase commands;
    private final EndpointAuthenticator auth;
    private final AuditTrail audit;
    private final String auditPath;

    ClientMessages(Hub hub, SendCommandUseCase commands, EndpointAuthenticator auth, AuditTrail audit, String auditPath) {
        this.hub = hub;
        this.commands = commands;
        this.auth = auth;
        this.audit = audit;
        this.auditPath = auditPath;
    }

    void handle(Connection connection, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "message is not valid JSON", null);
            return;
        }
        if (message == null || !message.isObject()) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "message must be a JSON object with a \"type\"", null);
            return;
        }
        String ref = scalar(message.get("ref"));
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "message must have a string \"type\"", ref);
            return;
        }
        JsonNode data = message.get("data");
        switch (type.asText()) {
            case "join" -> {
                String room = field(data, message, "room");
                if (room == null) {
                    hub.reject(connection, ErrorCode.MESSAGE_INVALID, "join needs data.room (a string)", ref);
                } else {
                    hub.join(connection, room, field(data, message, "since"), ref);
                }
            }
            case "leave" -> {
                String room = field(data, message, "room");
                if (room == null) {
                    hub.reject(connection, ErrorCode.MESSAGE_INVALID, "leave needs data.room (a string)", ref);
                } else {
                    hub.leave(connection, room, ref);
                }
            }
            case "sync" -> {
                String room = field(data, message, "room");
                if (room == null) {
                    hub.reject(connection, ErrorCode.MESSAGE_INVALID, "sync needs data.room (a string)", ref);
                } else {
                    hub.sync(connection, room, ref);
                }
            }
            case "ack" -> ack(connection, data, message, ref);
            case "ping" -> connection.send(new Outbound.Pong(data == null ? "null" : data.toString()));
            case "command" -> command(connection, data, message, ref);
            case "refresh" -> refresh(connection, field(data, message, "token"), ref);
            case "filter" -> filter(connection, data, message, ref);
            default -> hub.reject(connection, ErrorCode.MESSAGE_INVALID,
                    "unknown message type '" + abbreviate(type.asText()) + "'; expected join, leave, sync, ping, ack or command", ref);
        }
    }

    /** Acknowledges a critical event: {@code id} (and optionally {@code room}) under {@code data}, {@code payload} or at top level. */
    private void ack(Connection connection, JsonNode data, JsonNode message, String ref) {
        JsonNode payload = message.get("payload");
        JsonNode holder = data != null && data.isObject() ? data : payload != null && payload.isObject() ? payload : message;
        String id = scalar(holder.get("id"));
        if (id == null) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "ack needs data.id, the id of the critical event", ref);
            return;
        }
        hub.ack(connection, scalar(holder.get("room")), id, ref);
    }

    /** Changes what an administrator's audit stream shows: {@code {types: [...], user, room, ip}}. */
    private void filter(Connection connection, JsonNode data, JsonNode message, String ref) {
        if (!auditPath.equals(connection.spec().endpoint())) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "filter applies to the audit stream (" + auditPath + ") only", ref);
            return;
        }
        JsonNode holder = data != null && data.isObject() ? data : message;
        Set<String> types = new HashSet<>();
        JsonNode typesNode = holder.get("types");
        if (typesNode != null && typesNode.isArray()) {
            typesNode.forEach(t -> types.add(t.asText()));
        } else if (typesNode != null && typesNode.isTextual()) {
            types.addAll(List.of(typesNode.textValue().split(",")));
        }
        audit.watch(connection, new AuditFilter(types, field(data, message, "user"), field(data, message, "room"),
                field(data, message, "ip")));
    }

    /** Replaces the connection's token before it expires; a bad token is refused and the old one stays. */
    private void refresh(Connection connection, String token, String ref) {
        try {
            connection.refresh(auth.verify(token));
        } catch (TokenRejectedException e) {
            hub.reject(connection, ErrorCode.AUTH_INVALID, "refresh: " + e.getMessage(), ref);
        }
    }

    /** Passes a command upstream; a client may command only rooms it has joined. */
    private void command(Connection connection, JsonNode data, JsonNode message, String ref) {
        String room = field(data, message, "room");
        if (room == null || RoomName.problemWith(room) != null) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "command needs data.room, a valid room name", ref);
            return;
        }
        if (!connection.inRoom(new RoomName(room))) {
            hub.reject(connection, ErrorCode.FORBIDDEN, "command: join room " + room + " before sending it commands", ref);
            return;
        }
        JsonNode holder = data != null && data.isObject() ? data : message;
        JsonNode payload = holder.get("data");
        try {
            commands.send(new CommandRequest(room, field(data, message, "name"),
                    payload == null ? null : payload.toString(), connection.id().value(), connection.userId()));
        } catch (InvalidInputException e) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "command: " + e.problems().stream()
                    .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")), ref);
        }
    }

    /** A field from {@code data} when it is an object, else from the message's top level; numbers become text. */
    private static String field(JsonNode data, JsonNode message, String name) {
        JsonNode holder = data != null && data.isObject() ? data : message;
        return scalar(holder.get(name));
    }

    private static String scalar(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.isIntegralNumber() ? node.asText() : node.isTextual() ? node.textValue() : null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}

package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.in.CommandOutcome;
import io.switchboard.application.presence.PresenceService;
import io.switchboard.application.port.in.CommandRequest;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.SendCommandUseCase;
import io.switchboard.application.dialect.DialectSpec;
import io.switchboard.application.port.Template;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.RoomName;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The canonical client → server messages (SPEC 3.1): {@code {"type": ..., "data": {...}, "ref"?: ...}},
 * and on a configured endpoint its dialect's verbs beside them, with fields read from {@code data},
 * {@code payload} or the top level. Anything malformed gets {@code error MESSAGE_INVALID} saying what
 * was wrong; the connection stays, unless the endpoint closes on malformed messages (1008).
 */
final class ClientMessages {
    /** One JSON value per message: anything after it (a second object, stray text) makes the message invalid. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Hub hub;
    private final SendCommandUseCase commands;
    private final EndpointAuthenticator auth;
    private final AuditTrail audit;
    private final String auditPath;
    private final DialectSpec dialect;
    private final boolean closeOnMalformed;
    private final PresenceService presence;

    /**
     * @param dialect          the endpoint's dialect; {@link DialectSpec#CANONICAL} on {@code /ws}
     * @param closeOnMalformed close with 1008 after answering a malformed message
     */
    ClientMessages(Hub hub, SendCommandUseCase commands, EndpointAuthenticator auth, AuditTrail audit, String auditPath,
                   DialectSpec dialect, boolean closeOnMalformed, PresenceService presence) {
        this.hub = hub;
        this.commands = commands;
        this.auth = auth;
        this.audit = audit;
        this.auditPath = auditPath;
        this.dialect = dialect;
        this.closeOnMalformed = closeOnMalformed;
        this.presence = presence;
    }

    /** What a connection's verbs may refer to: its path parameters and the rooms it joined on connect. */
    record Scope(Map<String, String> parameters, List<String> rooms) {
        static final Scope NONE = new Scope(Map.of(), List.of());

        /** A template value: a path parameter, or {@code sub}, the connection's user. */
        String value(String name, Connection connection) {
            String value = parameters.get(name);
            return value != null || !name.equals("sub") ? value : connection.userId();
        }
    }

    void handle(Connection connection, String text, Scope scope) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            malformed(connection, "message is not valid JSON", null);
            return;
        }
        if (message == null || !message.isObject()) {
            malformed(connection, "message must be a JSON object with a \"type\"", null);
            return;
        }
        String ref = scalar(message.get("ref"));
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            malformed(connection, "message must have a string \"type\"", ref);
            return;
        }
        JsonNode data = message.get("data");
        JsonNode body = body(data, message);
        if (verb(connection, type.asText(), body, ref, scope)) {
            return;
        }
        switch (type.asText()) {
            case "join" -> {
                String room = field(body, "room");
                if (room == null) {
                    malformed(connection, "join needs data.room (a string)", ref);
                } else {
                    hub.join(connection, room, field(body, "since"), ref);
                }
            }
            case "leave" -> {
                String room = field(body, "room");
                if (room == null) {
                    malformed(connection, "leave needs data.room (a string)", ref);
                } else {
                    hub.leave(connection, room, ref);
                }
            }
            case "sync" -> {
                String room = field(body, "room");
                if (room == null) {
                    malformed(connection, "sync needs data.room (a string)", ref);
                } else {
                    hub.sync(connection, room, ref);
                }
            }
            case "presence" -> {
                String room = field(body, "room");
                if (room == null) {
                    malformed(connection, "presence needs data.room (a string)", ref);
                } else {
                    presence.ask(connection, room, field(body, "limit"), field(body, "after"), ref);
                }
            }
            case "ack" -> ack(connection, body, ref);
            case "ping" -> connection.send(new Outbound.Pong(echo(data, message)));
            case "command" -> command(connection, message.has("room") ? message : body, ref);
            case "refresh" -> refresh(connection, field(body, "token"), ref);
            case "filter" -> filter(connection, body, ref);
            default -> malformed(connection, "unknown message type '" + abbreviate(type.asText()) + "'; expected "
                    + expectedTypes(), ref);
        }
    }

    /** Acknowledges a critical event: {@code id} (and optionally {@code room}) under {@code data}, {@code payload} or at top level. */
    private void ack(Connection connection, JsonNode body, String ref) {
        JsonNode payload = body.get("payload");
        JsonNode holder = body.has("id") || payload == null || !payload.isObject() ? body : payload;
        String id = scalar(holder.get("id"));
        if (id == null) {
            malformed(connection, "ack needs data.id, the id of the critical event", ref);
            return;
        }
        hub.ack(connection, scalar(holder.get("room")), id, ref);
    }

    /** Handles {@code type} if it is one of the dialect's verbs; false when it is not. */
    private boolean verb(Connection connection, String type, JsonNode body, String ref, Scope scope) {
        DialectSpec.Verb verb;
        if (dialect.join() != null && dialect.join().verb().equals(type)) {
            verb = dialect.join();
        } else if (dialect.leave() != null && dialect.leave().verb().equals(type)) {
            verb = dialect.leave();
        } else if (dialect.sync() != null && dialect.sync().verb().equals(type)) {
            verb = dialect.sync();
        } else {
            return false;
        }
        List<String> rooms = rooms(connection, verb, body, ref, scope);
        for (String room : rooms) {
            if (verb == dialect.join()) {
                hub.join(connection, room, field(body, "since"), ref);
            } else if (verb == dialect.leave()) {
                hub.leave(connection, room, ref);
            } else {
                hub.sync(connection, room, ref);
            }
        }
        return true;
    }

    /**
     * The rooms a verb names: its room template with {@code {value}} from the message's field; without a
     * field, the template over the path's parameters; without either, the endpoint's auto-joined rooms.
     */
    private List<String> rooms(Connection connection, DialectSpec.Verb verb, JsonNode body, String ref, Scope scope) {
        String value = null;
        if (verb.field() != null) {
            value = field(body, verb.field());
            if (value == null) {
                malformed(connection, verb.verb() + " needs data." + verb.field() + " (a string or a number)", ref);
                return List.of();
            }
        } else if (verb.room() == null) {
            if (scope.rooms().isEmpty()) {
                malformed(connection, verb.verb() + ": this endpoint joins no rooms of its own", ref);
            }
            return scope.rooms();
        }
        String given = value;
        Template template = verb.room() == null ? Template.of("{value}") : verb.room();
        String room = template.expand(name -> name.equals("value") && given != null ? given : scope.value(name, connection));
        if (room == null) {
            hub.reject(connection, ErrorCode.FORBIDDEN, verb.verb() + ": the room needs an authenticated user", ref);
            return List.of();
        }
        return List.of(room);
    }

    private String expectedTypes() {
        StringBuilder expected = new StringBuilder();
        for (DialectSpec.Verb verb : new DialectSpec.Verb[] {dialect.join(), dialect.leave(), dialect.sync()}) {
            if (verb != null) {
                expected.append(verb.verb()).append(", ");
            }
        }
        return expected.append("join, leave, presence, ping or command").toString();
    }

    /** Answers {@code error MESSAGE_INVALID}; on an endpoint configured so, then closes with 1008. */
    private void malformed(Connection connection, String message, String ref) {
        hub.reject(connection, ErrorCode.MESSAGE_INVALID, message, ref);
        if (closeOnMalformed) {
            connection.close(CloseCode.POLICY, "malformed message: " + message, false, null, false);
        }
    }

    /** What a pong echoes: the ping's {@code data}; on a dialect endpoint its {@code payload} when it has no data. */
    private String echo(JsonNode data, JsonNode message) {
        JsonNode payload = message.get("payload");
        JsonNode echoed = data != null ? data : dialect != DialectSpec.CANONICAL ? payload : null;
        return echoed == null ? "null" : echoed.toString();
    }

    /**
     * Where a message's fields are: {@code data} when it is an object; on a dialect endpoint also
     * {@code payload}; otherwise the top level.
     */
    private JsonNode body(JsonNode data, JsonNode message) {
        if (data != null && data.isObject()) {
            return data;
        }
        JsonNode payload = message.get("payload");
        return dialect != DialectSpec.CANONICAL && payload != null && payload.isObject() ? payload : message;
    }

    /** Changes what an administrator's audit stream shows: {@code {types: [...], user, room, ip}}. */
    private void filter(Connection connection, JsonNode holder, String ref) {
        if (!auditPath.equals(connection.spec().endpoint())) {
            malformed(connection, "filter applies to the audit stream (" + auditPath + ") only", ref);
            return;
        }
        Set<String> types = new HashSet<>();
        JsonNode typesNode = holder.get("types");
        if (typesNode != null && typesNode.isArray()) {
            typesNode.forEach(t -> types.add(t.asText()));
        } else if (typesNode != null && typesNode.isTextual()) {
            types.addAll(List.of(typesNode.textValue().split(",")));
        }
        audit.watch(connection, new AuditFilter(types, field(holder, "user"), field(holder, "room"), field(holder, "ip")));
    }

    /** Replaces the connection's token before it expires; a bad token is refused and the old one stays. */
    private void refresh(Connection connection, String token, String ref) {
        try {
            hub.refresh(connection, auth.verify(token));
        } catch (TokenRejectedException e) {
            hub.reject(connection, ErrorCode.AUTH_INVALID, "refresh: " + e.getMessage(), ref);
        }
    }

    /** Passes a command upstream; a client may command only rooms it has joined. */
    /** @param holder the object with {@code room}, {@code name} and {@code data}: the message's body, or the top level in flat form */
    private void command(Connection connection, JsonNode holder, String ref) {
        String room = field(holder, "room");
        if (room == null || RoomName.problemWith(room) != null) {
            malformed(connection, "command needs data.room, a valid room name", ref);
            return;
        }
        if (!connection.inRoom(new RoomName(room))) {
            hub.reject(connection, ErrorCode.FORBIDDEN, "command: join room " + room + " before sending it commands", ref);
            return;
        }
        JsonNode payload = holder.get("data");
        try {
            switch (commands.send(new CommandRequest(room, field(holder, "name"), payload == null ? null : payload.toString(),
                    connection.id().value(), connection.userId(), connection.spec().endpoint(), connection.principal()))) {
                case CommandOutcome.Queued queued -> {
                    // Publishers read it from $commands; the client is not answered.
                }
                case CommandOutcome.Answered answered -> connection.send(new Outbound.CommandResult(ref, answered.result()));
                case CommandOutcome.Refused refused -> connection.send(new Outbound.Error(refused.code(), refused.message(), ref));
            }
        } catch (InvalidInputException e) {
            malformed(connection, "command: " + e.problems().stream()
                    .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")), ref);
        }
    }

    /** A field of the message's body (see {@link #body}); numbers become text. */
    private static String field(JsonNode body, String name) {
        return scalar(body.get(name));
    }

    /** A number's or a text's value as text; {@code null} for anything else. */
    static String scalar(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.isIntegralNumber() ? node.asText() : node.isTextual() ? node.textValue() : null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}

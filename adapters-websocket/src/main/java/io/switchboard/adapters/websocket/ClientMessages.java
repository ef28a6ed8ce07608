package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.Outbound;
import io.switchboard.domain.ErrorCode;

/**
 * The canonical client → server messages (SPEC 3.1): {@code {"type": ..., "data": {...}, "ref"?: ...}}.
 * Anything malformed gets {@code error MESSAGE_INVALID} saying what was wrong; the connection stays.
 */
final class ClientMessages {
    /** One JSON value per message: anything after it (a second object, stray text) makes the message invalid. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Hub hub;

    ClientMessages(Hub hub) {
        this.hub = hub;
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
            case "ping" -> connection.send(new Outbound.Pong(data == null ? "null" : data.toString()));
            default -> hub.reject(connection, ErrorCode.MESSAGE_INVALID,
                    "unknown message type '" + abbreviate(type.asText()) + "'; expected join, leave or ping", ref);
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

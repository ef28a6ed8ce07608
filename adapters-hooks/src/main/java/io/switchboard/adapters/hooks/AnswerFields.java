package io.switchboard.adapters.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.application.port.out.HookReply;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fields of a hook's JSON answer, each checked for its type: a field of the wrong type makes the
 * whole answer a failure (the hub never guesses what the application meant).
 */
final class AnswerFields {
    /** A refusal's code: what the client is told, so word characters only (e.g. {@code USER_NOT_FOUND}). */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_MESSAGE_CHARS = 1024;
    private static final String DEFAULT_MESSAGE = "refused by the application";

    private AnswerFields() {
    }

    static HookReply read(JsonNode json) {
        JsonNode allow = json.get("allow");
        if (allow == null || !allow.isBoolean()) {
            return new HookReply.Failed("the answer has no boolean \"allow\"");
        }
        return allow.booleanValue() ? allowed(json) : denied(json);
    }

    private static HookReply denied(JsonNode json) {
        JsonNode code = json.get("code");
        if (code == null || !code.isTextual() || !CODE.matcher(code.textValue()).matches()) {
            return new HookReply.Failed("a refusal needs \"code\": 1 to 64 of A-Z a-z 0-9 _ . : -");
        }
        JsonNode message = json.get("message");
        if (message != null && !message.isNull() && !message.isTextual()) {
            return new HookReply.Failed("a refusal's \"message\" must be a string");
        }
        String text = message == null || message.isNull() || message.textValue().isBlank() ? DEFAULT_MESSAGE : message.textValue();
        return new HookReply.Denied(code.textValue(), text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) : text);
    }

    private static HookReply allowed(JsonNode json) {
        JsonNode userId = present(json, "userId");
        if (userId != null && (!userId.isTextual() || userId.textValue().isBlank())) {
            return new HookReply.Failed("\"userId\" must be a non-empty string");
        }
        List<String> rooms = new ArrayList<>();
        JsonNode roomList = present(json, "rooms");
        if (roomList != null) {
            if (!roomList.isArray()) {
                return new HookReply.Failed("\"rooms\" must be an array of room names");
            }
            for (JsonNode room : roomList) {
                if (!room.isTextual()) {
                    return new HookReply.Failed("\"rooms\" must be an array of room names");
                }
                rooms.add(room.textValue());
            }
        }
        Instant expiresAt;
        try {
            expiresAt = instant(present(json, "expiresAt"));
        } catch (IllegalArgumentException e) {
            return new HookReply.Failed("\"expiresAt\" must be seconds since the epoch or an ISO-8601 instant");
        }
        JsonNode info = present(json, "info");
        JsonNode result = present(json, "result");
        return new HookReply.Allowed(userId == null ? null : userId.textValue(), rooms, info == null ? null : info.toString(), expiresAt,
                result == null ? null : result.toString());
    }

    /** The field, or {@code null} when it is absent or JSON {@code null}. */
    private static JsonNode present(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static Instant instant(JsonNode value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return Instant.ofEpochSecond(value.longValue());
            }
            if (value.isTextual()) {
                return Instant.parse(value.textValue());
            }
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(e);
        }
        throw new IllegalArgumentException("not an instant");
    }
}

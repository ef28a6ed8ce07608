package io.switchboard.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.port.in.Problem;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** JSON answers, including the error body {@code {"code","message"}} every endpoint uses. */
final class JsonBodies {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Anything after the first JSON value makes a body invalid, rather than being silently ignored. */
    private static final ObjectReader BODY_READER = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    static void send(ServerResponse res, Status status, String json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    static ObjectNode error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        return body;
    }

    static void sendError(ServerResponse res, Status status, String code, String message) {
        send(res, status, error(code, message).toString());
    }

    /**
     * The request's JSON body, or {@code null} after answering 415 (not {@code application/json}) or
     * 400 (empty, or not JSON).
     *
     * @param expected what the body should hold, for the message about an empty one ("an event object or an array of events")
     */
    static JsonNode readBody(ServerRequest req, ServerResponse res, String expected) {
        String contentType = req.headers().contentType().map(t -> t.mediaType().text()).orElse("");
        if (!contentType.equals("application/json")) {
            sendError(res, Status.UNSUPPORTED_MEDIA_TYPE_415, "MESSAGE_INVALID",
                    "send the body as JSON with Content-Type: application/json");
            return null;
        }
        if (!req.content().hasEntity()) {
            sendError(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "the body is empty; send " + expected);
            return null;
        }
        try {
            return BODY_READER.readTree(new String(req.content().as(byte[].class), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            sendError(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID",
                    "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            return null;
        }
    }

    /** 400 {@code MESSAGE_INVALID} with every problem as {@code problems: [{field, message}]}. */
    static void sendProblems(ServerResponse res, List<Problem> problems) {
        ObjectNode body = error("MESSAGE_INVALID", problems.size() == 1
                ? "1 problem: " + problems.getFirst().field() + ": " + problems.getFirst().message()
                : problems.size() + " problems; nothing was published");
        ArrayNode list = body.putArray("problems");
        for (Problem problem : problems) {
            list.addObject().put("field", problem.field()).put("message", problem.message());
        }
        send(res, Status.BAD_REQUEST_400, body.toString());
    }
}

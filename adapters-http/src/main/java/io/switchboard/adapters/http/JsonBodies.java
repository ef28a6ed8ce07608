package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.port.in.Problem;

import java.util.List;

/** JSON answers, including the error body {@code {"code","message"}} every endpoint uses. */
final class JsonBodies {
    static final ObjectMapper JSON = new ObjectMapper();

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

    /** 400 {@code MESSAGE_INVALID} with every problem as {@code problems: [{field, message}]}. */
    static void sendProblems(ServerResponse res, List<Problem> problems) {
        ObjectNode body = error("MESSAGE_INVALID", summary(problems));
        ArrayNode list = body.putArray("problems");
        for (Problem problem : problems) {
            list.addObject().put("field", problem.field()).put("message", problem.message());
        }
        send(res, Status.BAD_REQUEST_400, body.toString());
    }

    static String summary(List<Problem> problems) {
        return problems.size() == 1
                ? "1 problem: " + problems.getFirst().field() + ": " + problems.getFirst().message()
                : problems.size() + " problems; nothing was published";
    }
}

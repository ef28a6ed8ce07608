package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.port.in.CommandOutcome;
import io.switchboard.application.port.in.CommandRequest;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.SendCommandUseCase;
import io.switchboard.domain.RoomName;

import java.util.Optional;

/**
 * {@code POST /api/v1/rooms/{room}/commands}: the upstream command for clients that cannot send
 * WebSocket messages (SSE). Body {@code {"connectionId", "name", "data"}}; the connection id —
 * unguessable, known only to its client — must belong to a live connection in that room.
 */
final class CommandRoutes implements HttpService {
    private final Hub hub;
    private final SendCommandUseCase commands;
    private final JsonInput input;

    CommandRoutes(Hub hub, SendCommandUseCase commands, JsonInput input) {
        this.hub = hub;
        this.commands = commands;
        this.input = input;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/v1/rooms/{room}/commands", this::command);
    }

    private void command(ServerRequest req, ServerResponse res) {
        String room = req.path().pathParameters().get("room");
        JsonNode body = input.read(req, "{\"connectionId\": ..., \"name\": ..., \"data\": ...}");
        if (!(body instanceof ObjectNode command)) {
            JsonBodies.sendError(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID",
                    "send {\"connectionId\": ..., \"name\": ..., \"data\": ...}");
            return;
        }
        if (RoomName.problemWith(room) != null) {
            JsonBodies.sendError(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "room: " + RoomName.problemWith(room));
            return;
        }
        Optional<Connection> sender = hub.connection(command.path("connectionId").asText(""))
                .filter(c -> c.inRoom(new RoomName(room)));
        if (sender.isEmpty()) {
            JsonBodies.sendError(res, Status.FORBIDDEN_403, "FORBIDDEN",
                    "connectionId must be the id of your open connection, and it must have joined room " + room);
            return;
        }
        JsonNode data = command.get("data");
        try {
            CommandOutcome outcome = commands.send(new CommandRequest(room, command.path("name").asText(null),
                    data == null ? null : data.toString(), sender.get().id().value(), sender.get().userId(), sender.get().spec().endpoint(),
                    sender.get().principal()));
            switch (outcome) {
                case CommandOutcome.Queued queued ->
                        JsonBodies.send(res, Status.ACCEPTED_202, JsonBodies.JSON.createObjectNode().put("id", queued.id()).toString());
                case CommandOutcome.Answered answered -> JsonBodies.send(res, Status.OK_200,
                        "{\"result\":" + (answered.result() == null ? "null" : answered.result()) + "}");
                case CommandOutcome.Refused refused -> JsonBodies.sendError(res, Status.FORBIDDEN_403, refused.code(), refused.message());
            }
        } catch (InvalidInputException e) {
            ObjectNode error = JsonBodies.error("MESSAGE_INVALID", "the command is not valid");
            ArrayNode problems = error.putArray("problems");
            for (Problem problem : e.problems()) {
                problems.addObject().put("field", problem.field()).put("message", problem.message());
            }
            JsonBodies.send(res, Status.BAD_REQUEST_400, error.toString());
        }
    }
}

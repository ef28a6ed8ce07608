package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.port.in.AnnounceAccessChangeUseCase;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.port.RoomState;
import io.switchboard.application.rooms.RoomStateService;
import io.switchboard.domain.RoomName;

import java.util.Optional;

/**
 * Rooms for backends and administrators: declare ({@code PUT /api/v1/rooms/{room}}), remove
 * ({@code DELETE}), look up ({@code GET}), and the room's state document
 * ({@code PUT} / {@code GET /api/v1/rooms/{room}/state}).
 */
final class RoomRoutes implements HttpService {
    private final RoomRules rules;
    private final RoomStateService states;
    private final PublisherGate gate;
    private final AnnounceAccessChangeUseCase accessChanges;
    private final JsonInput input;

    RoomRoutes(RoomRules rules, RoomStateService states, PublisherGate gate, AnnounceAccessChangeUseCase accessChanges,
               JsonInput input) {
        this.rules = rules;
        this.states = states;
        this.gate = gate;
        this.accessChanges = accessChanges;
        this.input = input;
    }

    @Override
    public void routing(HttpRules http) {
        http.put("/api/v1/rooms/{room}", this::declare)
                .delete("/api/v1/rooms/{room}", this::remove)
                .get("/api/v1/rooms/{room}", this::lookUp)
                .put("/api/v1/rooms/{room}/state", this::putState)
                .get("/api/v1/rooms/{room}/state", this::getState);
    }

    private void declare(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room != null) {
            boolean created = rules.declare(room);
            JsonBodies.send(res, created ? Status.CREATED_201 : Status.OK_200,
                    JsonBodies.JSON.createObjectNode().put("room", room.value()).put("declared", true).toString());
        }
    }

    private void remove(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room == null) {
            return;
        }
        if (rules.remove(room)) {
            accessChanges.accessChanged(room); // open subscriptions of a room that must exist end (SPEC 14)
            res.status(Status.NO_CONTENT_204).send();
        } else {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "ROOM_NOT_FOUND", rules.notFoundMessage(room));
        }
    }

    private void lookUp(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room == null) {
            return;
        }
        if (rules.declared(room)) {
            JsonBodies.send(res, Status.OK_200, JsonBodies.JSON.createObjectNode().put("room", room.value()).put("declared", true).toString());
        } else {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "ROOM_NOT_FOUND", rules.notFoundMessage(room));
        }
    }

    private void putState(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room == null) {
            return;
        }
        String missing = rules.missing(room);
        if (missing != null) {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "ROOM_NOT_FOUND", missing);
            return;
        }
        JsonNode state = input.read(req, "the state document as the JSON body");
        RoomState stored = states.put(room, state.toString());
        JsonBodies.send(res, Status.OK_200, JsonBodies.JSON.createObjectNode().put("room", room.value())
                .put("lastId", stored.lastId().toString()).toString());
    }

    private void getState(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room == null) {
            return;
        }
        Optional<RoomState> state = states.get(room);
        if (state.isEmpty()) {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "ROOM_NOT_FOUND", "room " + room + " has no state document");
            return;
        }
        JsonBodies.send(res, Status.OK_200, "{\"room\":" + JsonBodies.JSON.valueToTree(room.value()) + ",\"state\":" + state.get().state()
                + ",\"lastId\":\"" + state.get().lastId() + "\"}");
    }
}

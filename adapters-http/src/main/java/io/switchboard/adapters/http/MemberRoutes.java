package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.rooms.RoomMembership;
import io.switchboard.domain.RoomName;

/**
 * The membership lists read by the {@code members} room policy, kept by the application's backend
 * (publisher credential) or an administrator: {@code PUT} / {@code DELETE
 * /api/v1/rooms/{room}/members/{userId}} and {@code GET /api/v1/rooms/{room}/members}.
 */
final class MemberRoutes implements HttpService {
    private final RoomMembership members;
    private final AuditTrail audit;
    private final PublisherGate gate;

    MemberRoutes(RoomMembership members, AuditTrail audit, PublisherGate gate) {
        this.members = members;
        this.audit = audit;
        this.gate = gate;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/api/v1/rooms/{room}/members/{user}", this::add)
                .delete("/api/v1/rooms/{room}/members/{user}", this::remove)
                .get("/api/v1/rooms/{room}/members", this::list);
    }

    private void add(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room != null) {
            String user = req.path().pathParameters().get("user");
            members.add(room, user);
            audit.record("admin.member.added", null, user, req.remotePeer().host(), "/api/v1/rooms", "ok", room.value(), null);
            JsonBodies.send(res, Status.OK_200, JsonBodies.JSON.createObjectNode().put("room", room.value()).put("userId", user).toString());
        }
    }

    private void remove(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room != null) {
            String user = req.path().pathParameters().get("user");
            if (members.remove(room, user)) {
                audit.record("admin.member.removed", null, user, req.remotePeer().host(), "/api/v1/rooms", "ok", room.value(), null);
                res.status(Status.NO_CONTENT_204).send();
            } else {
                JsonBodies.sendError(res, Status.NOT_FOUND_404, "USER_NOT_FOUND", user + " is not a member of " + room);
            }
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        RoomName room = RoomPath.of(req, res, gate);
        if (room != null) {
            ObjectNode body = JsonBodies.JSON.createObjectNode().put("room", room.value());
            members.members(room).forEach(body.putArray("members")::add);
            JsonBodies.send(res, Status.OK_200, body.toString());
        }
    }
}

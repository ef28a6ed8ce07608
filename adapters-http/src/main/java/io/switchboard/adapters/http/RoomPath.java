package io.switchboard.adapters.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.domain.RoomName;

/** The {@code {room}} of a backend's or administrator's room request, after its credential check. */
final class RoomPath {
    private RoomPath() {
    }

    /** The room, or {@code null} when the answer (401/403/400) was already sent. */
    static RoomName of(ServerRequest req, ServerResponse res, PublisherGate gate) {
        if (!gate.admitPublisherOrAdmin(req, res)) {
            return null;
        }
        String name = req.path().pathParameters().get("room");
        String problem = RoomName.problemWith(name);
        if (problem != null) {
            JsonBodies.sendError(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "room: " + problem);
            return null;
        }
        RoomName room = new RoomName(name);
        if (room.reserved()) {
            JsonBodies.sendError(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "room " + room + " is reserved for the hub");
            return null;
        }
        return room;
    }
}

package io.switchboard.adapters.sse;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.command.CommandService;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.port.AuthMode;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.domain.RoomName;

import java.util.List;

/**
 * {@code GET /api/v1/commands}: publishers read clients' upstream commands as an SSE stream of the
 * hub's room {@code $commands}, resumable with {@code Last-Event-ID} — at-least-once delivery. The
 * caller is admitted like every other client, with a publisher's API credentials.
 */
final class CommandStream implements Handler {
    static final String PATH = "/api/v1/commands";
    private static final List<RoomName> ROOMS = List.of(CommandService.COMMANDS_ROOM);

    private final Hub hub;
    private final EventStream streams;
    private final BackendCaller callers;

    CommandStream(Hub hub, EventStream streams, BackendCaller callers) {
        this.hub = hub;
        this.streams = streams;
        this.callers = callers;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        StreamPositions positions;
        try {
            positions = EventStream.positions(req, ROOMS);
        } catch (IllegalArgumentException e) {
            EventStream.refuse(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "Last-Event-ID: " + e.getMessage());
            return;
        }
        ConnectRequest request = ConnectRequest.backend(PATH, req.remotePeer().host(), callers.loopbackAdmin(req),
                AuthMode.API_PUBLISHER, callers.credential(req).orElse(null));
        streams.admitAndStream(req, res, request, positions,
                connection -> hub.joinReserved(connection, CommandService.COMMANDS_ROOM, positions.since(CommandService.COMMANDS_ROOM)));
    }
}

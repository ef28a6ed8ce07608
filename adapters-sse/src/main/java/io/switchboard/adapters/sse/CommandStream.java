package io.switchboard.adapters.sse;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.command.CommandService;
import io.switchboard.application.hub.Hub;
import io.switchboard.domain.RoomName;

import java.util.List;

/**
 * {@code GET /api/v1/commands}: publishers read clients' upstream commands as an SSE stream of the
 * hub's room {@code $commands}, resumable with {@code Last-Event-ID} — at-least-once delivery.
 */
final class CommandStream implements Handler {
    private static final List<RoomName> ROOMS = List.of(CommandService.COMMANDS_ROOM);

    private final Hub hub;
    private final EventStream streams;
    private final ApiCredentials credentials;

    CommandStream(Hub hub, EventStream streams, ApiCredentials credentials) {
        this.hub = hub;
        this.streams = streams;
        this.credentials = credentials;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        ApiCredentials.Verdict verdict = credentials.check(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                req.remotePeer().address());
        if (verdict != ApiCredentials.Verdict.ALLOWED) {
            boolean forbidden = verdict == ApiCredentials.Verdict.NOT_LOOPBACK || verdict == ApiCredentials.Verdict.MISSING_ROLE;
            EventStream.refuse(res, forbidden ? Status.FORBIDDEN_403 : Status.UNAUTHORIZED_401,
                    forbidden ? "FORBIDDEN" : "AUTH_INVALID", ApiCredentials.explain(verdict));
            return;
        }
        if (!hub.accepting()) {
            EventStream.refuse(res, Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", "the hub is shutting down; retry shortly");
            return;
        }
        StreamPositions positions;
        try {
            positions = EventStream.positions(req, ROOMS);
        } catch (IllegalArgumentException e) {
            EventStream.refuse(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "Last-Event-ID: " + e.getMessage());
            return;
        }
        streams.stream(req, res, null, positions,
                connection -> hub.joinReserved(connection, CommandService.COMMANDS_ROOM, positions.since(CommandService.COMMANDS_ROOM)), null);
    }
}

package io.switchboard.adapters.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.PresenceDisabledException;
import io.switchboard.application.port.in.PresenceQuery;
import io.switchboard.application.port.in.PresenceRequest;
import io.switchboard.application.presence.PresenceNotices;

/**
 * {@code GET /api/v1/rooms/{room}/presence?limit=&after=} (SPEC 16), for publishers and administrators:
 * one page of the room's members and its totals; {@code 404 PRESENCE_DISABLED} where its namespace keeps
 * no presence, {@code 400} for a bad room, limit or cursor.
 */
final class PresenceRoutes implements HttpService {
    private final PresenceQuery presence;
    private final PublisherGate gate;

    PresenceRoutes(PresenceQuery presence, PublisherGate gate) {
        this.presence = presence;
        this.gate = gate;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/rooms/{room}/presence", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        if (!gate.admitPublisherOrAdmin(req, res)) {
            return;
        }
        try {
            PresenceRequest request = PresenceRequest.of(req.path().pathParameters().get("room"),
                    req.query().first("limit").orElse(null), req.query().first("after").orElse(null));
            JsonBodies.send(res, Status.OK_200, PresenceNotices.page(presence.presence(request)));
        } catch (InvalidInputException e) {
            JsonBodies.sendProblems(res, e.problems());
        } catch (PresenceDisabledException e) {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "PRESENCE_DISABLED", e.getMessage());
        }
    }
}

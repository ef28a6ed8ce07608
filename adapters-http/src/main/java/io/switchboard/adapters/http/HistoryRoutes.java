package io.switchboard.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.json.JsonText;
import io.switchboard.application.port.in.HistoryAnswer;
import io.switchboard.application.port.in.HistoryRequest;
import io.switchboard.application.port.in.ReadHistoryUseCase;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;

import java.util.Optional;

/**
 * {@code GET /api/v1/rooms/{room}/events?since=ID&limit=N} (SPEC 16): a room's history as
 * {@code {room, events, recovered, reason?, oldestId, lastId, state?}}, each event in the JSON a
 * WebSocket client receives. Publishers and administrators may read any room; anyone else what the
 * room's policy would let them join, with the token sent as for SSE (header, {@code token}
 * parameter or cookie).
 */
final class HistoryRoutes implements HttpService {
    private static final String PATH = "/api/v1/rooms/{room}/events";
    private final ReadHistoryUseCase history;
    private final PublisherGate gate;
    private final EndpointAuthenticator auth;

    HistoryRoutes(ReadHistoryUseCase history, PublisherGate gate, EndpointAuthenticator auth) {
        this.history = history;
        this.gate = gate;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::read);
    }

    private void read(ServerRequest req, ServerResponse res) {
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        boolean trusted = gate.publisherOrAdmin(req);
        String token = trusted ? null : auth.findToken(authorization, req.query().first("token").orElse(null),
                req.headers().first(HeaderNames.COOKIE).orElse(null));
        HistoryAnswer answer = history.read(new HistoryRequest(req.path().pathParameters().get("room"),
                req.query().first("since").orElse(null), req.query().first("limit").orElse(null), token, trusted,
                req.remotePeer().host(), PATH));
        switch (answer) {
            case HistoryAnswer.Refused refused -> JsonBodies.sendError(res, status(refused.why()), refused.code(), refused.message());
            case HistoryAnswer.Page page -> JsonBodies.send(res, Status.OK_200, json(page));
        }
    }

    private static Status status(HistoryAnswer.Why why) {
        return switch (why) {
            case INVALID -> Status.BAD_REQUEST_400;
            case UNAUTHENTICATED, TOKEN_REJECTED -> Status.UNAUTHORIZED_401;
            case FORBIDDEN -> Status.FORBIDDEN_403;
            case NOT_FOUND -> Status.NOT_FOUND_404;
        };
    }

    static String json(HistoryAnswer.Page page) {
        StringBuilder events = new StringBuilder(64 + 256 * page.events().size()).append('[');
        for (Event event : page.events()) {
            if (events.length() > 1) {
                events.append(',');
            }
            events.append(CanonicalDialect.renderEvent(event));
        }
        JsonText body = new JsonText(events.length() + 192)
                .string("room", page.room().value())
                .raw("events", events.append(']').toString())
                .bool("recovered", page.recovered())
                .string("reason", page.reason())
                .raw("oldestId", id(page.oldestId()))
                .raw("lastId", id(page.lastId()));
        page.state().ifPresent(state -> body.raw("state", new JsonText(state.state().length() + 48)
                .raw("state", state.state()).string("lastId", state.lastId().toString()).close()));
        return body.close();
    }

    private static String id(Optional<EventId> id) {
        return id.map(value -> "\"" + value + "\"").orElse("null");
    }
}

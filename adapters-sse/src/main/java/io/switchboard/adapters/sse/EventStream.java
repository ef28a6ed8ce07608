package io.switchboard.adapters.sse;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.port.Principal;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.port.Template;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.Frame;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.port.ConnectionSlot;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.application.port.in.RefusalReason;
import io.switchboard.domain.RoomName;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code GET /sse?rooms=a,b}: one SSE stream joined to the listed rooms, resumable from
 * {@code Last-Event-ID} (header) or {@code lastEventId} (query) with the WebSocket replay rules.
 * The request's handler thread stays in this method and does all of the stream's writing.
 */
final class EventStream implements Handler {
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    /** What a refused stream is answered, before any stream byte. */
    private static final Map<RefusalReason, Status> STATUS = new EnumMap<>(Map.of(
            RefusalReason.UNAVAILABLE, Status.SERVICE_UNAVAILABLE_503, RefusalReason.ROOM_FULL, Status.SERVICE_UNAVAILABLE_503,
            RefusalReason.CONNECTION_LIMIT, Status.SERVICE_UNAVAILABLE_503, RefusalReason.ORIGIN_NOT_ALLOWED, Status.FORBIDDEN_403,
            RefusalReason.FORBIDDEN, Status.FORBIDDEN_403, RefusalReason.TOO_MANY_ATTEMPTS, Status.TOO_MANY_REQUESTS_429,
            RefusalReason.TOKEN_REJECTED, Status.UNAUTHORIZED_401, RefusalReason.INVALID, Status.BAD_REQUEST_400));
    private final Hub hub;
    private final SseSettings settings;
    private final AdmitConnectionUseCase admissions;
    private final EndpointAuthenticator auth;
    private final ConnectionLimiter limiter;
    private final CanonicalDialect canonical;
    private final Function<ServerRequest, String> roomList;

    /** @param roomList the comma-separated rooms a request asks for (the query, or the endpoint's templates) */
    EventStream(Hub hub, SseSettings settings, AdmitConnectionUseCase admissions, EndpointAuthenticator auth, ConnectionLimiter limiter,
                CanonicalDialect canonical, Function<ServerRequest, String> roomList) {
        this.hub = hub;
        this.settings = settings;
        this.admissions = admissions;
        this.auth = auth;
        this.limiter = limiter;
        this.roomList = roomList;
        this.canonical = canonical;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        List<RoomName> rooms = new ArrayList<>();
        String problem = rooms(roomList.apply(req), rooms);
        if (problem != null) {
            refuse(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", problem);
            return;
        }
        StreamPositions positions;
        try {
            positions = positions(req, rooms);
        } catch (IllegalArgumentException e) {
            refuse(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "Last-Event-ID: " + e.getMessage());
            return;
        }
        String token = auth.findToken(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                req.query().first("token").orElse(null), req.headers().first(HeaderNames.COOKIE).orElse(null));
        int roomLimit = limiter.perRoom(settings.path(), hub.settings().maxConnectionsPerRoom());
        ConnectRequest request = ConnectRequest.of(settings.path(), req.remotePeer().host(),
                        req.headers().first(HeaderNames.ORIGIN).orElse(null), settings.origins(), settings.auth(), token)
                .joining(rooms.stream().map(room -> Template.of(room.value())).toList(), Map.of(), roomLimit);
        admitAndStream(req, res, request, positions, connection -> {
            for (RoomName room : rooms) {
                hub.join(connection, room.value(), positions.since(room), null, roomLimit);
            }
        });
    }

    /**
     * Asks admission about {@code request}: answers a refusal with its status before any stream byte,
     * or streams to the admitted client (see {@link #stream}) and gives its place in the limits back at the end.
     */
    void admitAndStream(ServerRequest req, ServerResponse res, ConnectRequest request, StreamPositions positions,
                        Consumer<Connection> opened) {
        switch (admissions.admit(request)) {
            case Admission.Refused refused -> refuse(res, STATUS.get(refused.reason()), refused.code(), refused.message());
            case Admission.Admitted admitted -> {
                try {
                    stream(req, res, admitted.principal(), positions, opened, admitted.slot());
                } finally {
                    admitted.slot().release();
                }
            }
        }
    }

    /** {@link StreamPositions} from the request's {@code Last-Event-ID} header or {@code lastEventId} query parameter. */
    static StreamPositions positions(ServerRequest req, List<RoomName> rooms) {
        return StreamPositions.parse(rooms, req.headers().first(LAST_EVENT_ID)
                .orElse(req.query().first("lastEventId").orElse(null)));
    }

    /**
     * Streams to the client until either side ends it; runs on, and blocks, the handler thread.
     *
     * @param opened joins the stream's rooms (or otherwise starts what it carries) once its connection is open
     */
    private void stream(ServerRequest req, ServerResponse res, Principal principal, StreamPositions positions,
                Consumer<Connection> opened, ConnectionSlot slot) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        OutputStream out = res.outputStream();
        StreamSink sink = new StreamSink(out);
        HandlerThreadWriter writer = new HandlerThreadWriter();
        Connection connection = null;
        try {
            // Registered and joined before anything is written, the response headers included (SPEC 13):
            // an event published once the client sees the stream open (EventSource.onopen) reaches it,
            // and the positions it is told are where its delivery begins. Until the writer runs below,
            // on this thread, everything the connection is sent waits in its queue.
            connection = hub.open(new ConnectionSpec(settings.path(), "sse", req.remotePeer().host(), principal, false),
                    sink, new SseDialect(canonical, positions), writer);
            connection.holdSlot(slot);
            opened.accept(connection);
            sink.text(Frame.of("retry: " + settings.retry().toMillis() + "\n\n"));
            sink.flush();
            writer.run(connection::finished, settings.heartbeat(), sink::heartbeat);
        } catch (UncheckedIOException e) {
            // The client went away; the connection is closed below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.transportClosed(1006);
            }
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                // Already gone.
            }
        }
    }

    /** Fills {@code rooms} from the query parameter; returns what is wrong with it, or {@code null}. */
    private String rooms(String parameter, List<RoomName> rooms) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : parameter.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        if (names.isEmpty()) {
            return "name the rooms to stream: ?rooms=room1,room2";
        }
        if (names.size() > hub.settings().maxRoomsPerConnection()) {
            return "a stream may join at most " + hub.settings().maxRoomsPerConnection() + " rooms";
        }
        for (String name : names) {
            String problem = RoomName.problemWith(name);
            if (problem != null) {
                return "rooms: '" + name + "': " + problem;
            }
            rooms.add(new RoomName(name));
        }
        return null;
    }

    static void refuse(ServerResponse res, Status status, String code, String message) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(("{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}

package io.switchboard.adapters.websocket;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.json.JsonText;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.domain.CloseCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Engine.IO 4 long-polling on the Socket.IO path (SPEC 16): a {@code GET} without {@code sid} is the
 * handshake (admitted like a WebSocket upgrade, once per session) and answers with the open packet;
 * later {@code GET}s with the {@code sid} wait for what the hub sends (up to one heartbeat interval,
 * then a noop), {@code POST}s carry the client's packets. Both bodies are packets joined by
 * {@link EngineIoPacket#SEPARATOR}. The session itself is an {@link EngineIoSession}, as on WebSocket.
 * Requests the hub does not serve get Engine.IO's own errors ({@link EngineIoError}).
 */
final class SocketIoPolling {
    private static final String TEXT = "text/plain; charset=UTF-8";
    private static final String JSON = "application/json";
    private static final String CLOSE = String.valueOf(EngineIoPacket.CLOSE);
    private static final HeaderName ALLOW_ORIGIN = HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN;
    private static final long UPGRADE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MIN_BUFFERED_CHARS = 64 * 1024;

    private final Hub hub;
    private final SocketIoSettings settings;
    private final EngineIoSessions engineIo;
    private final EndpointAuthenticator auth;
    private final PollingSessions sessions;

    SocketIoPolling(EngineIoSessions engineIo, EndpointAuthenticator auth, PollingSessions sessions) {
        this.hub = engineIo.hub();
        this.settings = engineIo.settings();
        this.engineIo = engineIo;
        this.auth = auth;
        this.sessions = sessions;
    }

    /** Serves {@code <path>} and {@code <path>/} (socket.io-client asks for the latter). */
    void register(HttpRouting.Builder routing) {
        routing.any(settings.basePath(), this::handle);
        routing.any(settings.basePath() + "/", this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        boolean originAllowed = settings.originAllowed(origin);
        if (origin != null && originAllowed) {
            res.header(ALLOW_ORIGIN, origin);
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            res.header(HeaderNames.VARY, "Origin");
        }
        Method method = req.prologue().method();
        if (method == Method.OPTIONS) {
            preflight(req, res, originAllowed);
            return;
        }
        String transport = req.query().first("transport").orElse(null);
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            error(res, EngineIoError.UNKNOWN_TRANSPORT, "transport must be polling or websocket");
            return;
        }
        if (!req.query().first("EIO").map("4"::equals).orElse(false)) {
            error(res, EngineIoError.UNSUPPORTED_PROTOCOL_VERSION, "this endpoint speaks Engine.IO 4 (EIO=4): use socket.io-client 3 or 4");
            return;
        }
        if (req.query().contains("j")) {
            error(res, EngineIoError.BAD_REQUEST, "JSONP polling is not supported");
            return;
        }
        String sid = req.query().first("sid").orElse(null);
        if (sid == null) {
            if (method != Method.GET) {
                error(res, EngineIoError.BAD_HANDSHAKE_METHOD, "a session starts with a GET");
            } else if (!"polling".equals(transport)) {
                error(res, EngineIoError.BAD_REQUEST, "the websocket transport needs a WebSocket upgrade");
            } else {
                handshake(req, res, origin);
            }
            return;
        }
        PollingSession session = sessions.get(sid);
        if (session == null) {
            error(res, EngineIoError.UNKNOWN_SID, null);
        } else if (!originAllowed) {
            error(res, EngineIoError.FORBIDDEN, "Origin " + origin + " is not allowed");
        } else if (!"polling".equals(transport)) {
            error(res, EngineIoError.BAD_REQUEST, "the websocket transport needs a WebSocket upgrade");
        } else if (method == Method.GET) {
            poll(res, session);
        } else if (method == Method.POST) {
            post(req, res, session);
        } else {
            error(res, EngineIoError.BAD_REQUEST, "long-polling uses GET and POST");
        }
    }

    private void preflight(ServerRequest req, ServerResponse res, boolean originAllowed) {
        if (!originAllowed) {
            error(res, EngineIoError.FORBIDDEN, "Origin not allowed");
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
        req.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)
                .ifPresent(headers -> res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, headers));
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Admits the client (shutdown, Origin, limits per IP), opens its connection and answers with the open packet. */
    private void handshake(ServerRequest req, ServerResponse res, String origin) {
        String token = auth.findToken(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                req.query().first("token").orElse(null), req.headers().first(HeaderNames.COOKIE).orElse(null));
        EngineIoSession session = engineIo.open(req.remotePeer().host(), origin, token,
                new ConnectRequest.Door(req.path().path(), name -> req.headers().first(HeaderNames.create(name)).orElse(null)));
        Admission.Refused refused = session.admit();
        if (refused != null) {
            res.status(UpgradeGate.status(refused.reason())).header(HeaderNames.CONTENT_TYPE, JSON)
                    .send(refusal(refused.code(), refused.message()));
            return;
        }
        int maxBuffered = Math.max(MIN_BUFFERED_CHARS, hub.settings().inboundMaxBytes());
        PollingSink sink = new PollingSink(maxBuffered, UPGRADE_TIMEOUT_NANOS, code -> {
            sessions.remove(session.connection().id().value());
            session.transportEnded(code);
        });
        Connection connection = session.open("polling", sink, true);
        String sid = connection.id().value();
        PollingSession polling = new PollingSession(session, sink);
        sessions.add(sid, polling);
        if (connection.finished()) {
            sessions.remove(sid); // ended before it was listed (the writer could not wait for it)
        }
        poll(res, polling);
    }

    /** Waits for what the hub sends; a second GET while one waits is a client error that ends the session. */
    private void poll(ServerResponse res, PollingSession session) {
        if (!session.getting().compareAndSet(false, true)) {
            overlap(res, session, "a GET is already waiting for this session");
            return;
        }
        String payload;
        try {
            payload = session.sink().take(hub.settings().heartbeatInterval().toNanos());
        } finally {
            // This GET waits no more: the client sends its next one as soon as this answer arrives,
            // which may be before the rest of this method runs.
            session.getting().set(false);
        }
        if (payload.equals(CLOSE)) {
            sessions.remove(session.session().connection().id().value()); // a GET after the close finds no session
        }
        try {
            res.header(HeaderNames.CONTENT_TYPE, TEXT).send(payload.getBytes(StandardCharsets.UTF_8));
        } finally {
            session.sink().sent(payload);
        }
    }

    /** The client's packets; a body over {@code maxPayload} or one that is not Engine.IO packets ends the session. */
    private void post(ServerRequest req, ServerResponse res, PollingSession session) {
        if (!session.posting().compareAndSet(false, true)) {
            overlap(res, session, "a POST is already in progress for this session");
            return;
        }
        Runnable answer;
        try {
            answer = receive(req, res, session);
        } finally {
            // This POST is done before it is answered: the client sends its next one as soon as the
            // answer arrives, which may be before the rest of this method runs.
            session.posting().set(false);
        }
        answer.run();
    }

    /** Hands the POST's packets to the session; returns the answer to send. */
    private Runnable receive(ServerRequest req, ServerResponse res, PollingSession session) {
        Connection connection = session.session().connection();
        int max = hub.settings().inboundMaxBytes();
        byte[] body = read(req, max);
        if (body == null) {
            connection.close(CloseCode.TOO_LARGE, "message too large: the limit is " + max + " bytes", true, null, true);
            return () -> res.status(Status.REQUEST_ENTITY_TOO_LARGE_413).header(HeaderNames.CONTENT_TYPE, JSON)
                    .send(refusal("MESSAGE_TOO_LARGE", "the body is over maxPayload (" + max + " bytes)"));
        }
        if (req.headers().contentType().map(type -> type.mediaType().subtype().equals("octet-stream")).orElse(false)) {
            return malformed(res, connection, "binary payloads are not supported; send JSON arguments");
        }
        List<String> packets = EngineIoPacket.split(new String(body, StandardCharsets.UTF_8));
        for (String packet : packets) {
            String problem = EngineIoPacket.malformed(packet);
            if (problem != null) {
                return malformed(res, connection, problem);
            }
        }
        for (String packet : packets) {
            session.session().receive(packet);
            if (packet.equals(CLOSE)) {
                session.sink().clientClosed();
            }
        }
        return () -> res.header(HeaderNames.CONTENT_TYPE, TEXT).send("ok");
    }

    private static Runnable malformed(ServerResponse res, Connection connection, String problem) {
        connection.close(CloseCode.POLICY, problem, true, null, true);
        return () -> error(res, EngineIoError.BAD_REQUEST, problem);
    }

    private static void overlap(ServerResponse res, PollingSession session, String problem) {
        session.session().connection().close(CloseCode.POLICY, problem, true, null, true);
        error(res, EngineIoError.BAD_REQUEST, problem);
    }

    /** The body, or {@code null} when it is longer than {@code max} bytes (read no further than that). */
    private static byte[] read(ServerRequest req, int max) {
        if (req.headers().contentLength().orElse(0) > max) {
            return null;
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(max + 1);
            return body.length > max ? null : body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hub's own refusal body, as before a WebSocket upgrade: {@code {"code","message"}}. */
    private static String refusal(String code, String message) {
        return new JsonText(96).string("code", code).string("message", message).close();
    }

    private static void error(ServerResponse res, EngineIoError error, String reason) {
        res.status(error.status()).header(HeaderNames.CONTENT_TYPE, JSON).send(error.body(reason));
    }
}

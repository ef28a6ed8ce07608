package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.switchboard.application.audit.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.auth.Principal;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.limits.Admission;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.limits.Slot;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.MessageRenderer;
import io.switchboard.application.hub.Outbound;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.RoomName;
import io.switchboard.application.dialect.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One WebSocket client (Helidon creates one listener per connection). Everything that can be
 * decided before the 101 is decided in {@link #onHttpUpgrade}; inbound messages are size-checked
 * across fragments and rate-limited before they are understood.
 */
final class HubSocket extends HubListener {
    private final Hub hub;
    private final WebSocketEndpoint endpoint;
    private final PathTemplate pathTemplate;
    private final EndpointAuthenticator auth;
    private final ConnectionLimiter limiter;
    private final AuditTrail audit;
    private final String path;
    private final boolean auditStream;
    private final boolean loopbackAdmins;
    private final Function<Map<String, String>, MessageRenderer> dialects;
    private final ClientMessages messages;
    private MessageRenderer dialect;
    private ClientMessages.Scope scope = ClientMessages.Scope.NONE;
    private final InboundText inbound = new InboundText();
    private final SessionSink sink = new SessionSink();
    private ConnectionSpec spec;
    private Refusal refusal;
    private AuditFilter auditFilter;

    /**
     * @param auditStream whether this is the administrators' audit stream ({@code /ws/audit}) rather than
     *                    the client endpoint: only admins get in, and they receive audit entries
     * @param loopbackAdmins whether loopback callers are administrators (no API key nor JWK set configured)
     * @param pathTemplate   reads the endpoint path's parameters
     * @param dialects       the renderer of a connection with these path parameters
     */
    HubSocket(Hub hub, WebSocketEndpoint endpoint, PathTemplate pathTemplate, EndpointAuthenticator auth, ConnectionLimiter limiter,
              AuditTrail audit, boolean auditStream, boolean loopbackAdmins, Function<Map<String, String>, MessageRenderer> dialects,
              ClientMessages messages) {
        this.hub = hub;
        this.endpoint = endpoint;
        this.pathTemplate = pathTemplate;
        this.auth = auth;
        this.limiter = limiter;
        this.audit = audit;
        this.auditStream = auditStream;
        this.loopbackAdmins = loopbackAdmins;
        this.path = endpoint.path();
        this.dialects = dialects;
        this.dialect = dialects.apply(Map.of());
        this.messages = messages;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        UpgradeGate.check(hub, endpoint.origins(), headers, audit, path);
        UpgradeGate.noSubprotocol(headers, "the canonical JSON protocol");
        String peer = UpgradeGate.peer(headers);
        UpgradeGate.attempt(limiter, peer, path);
        boolean batch = prologue.query().first("batch").map("1"::equals).orElse(false);
        Map<String, String> parameters = pathTemplate.parameters(prologue.uriPath().path());
        dialect = dialects.apply(parameters);
        Principal principal = null;
        try {
            principal = auth.authenticate(endpoint.auth(), UpgradeGate.token(auth, prologue, headers));
        } catch (TokenRejectedException e) {
            audit.record("auth.failed", null, null, peer, path, e.code().name(), null, e.getMessage());
            if (endpoint.rejectBeforeUpgrade()) {
                throw refusal(Status.UNAUTHORIZED_401, e.code().name(), e.getMessage());
            }
            refusal = new Refusal(e.code(), e.getMessage(), CloseCode.UNAUTHORIZED, e.code() == ErrorCode.AUTH_EXPIRED);
        }
        boolean loopbackAdmin = loopbackAdmins && headers.first(PeerAwareUpgradeProvider.PEER_LOOPBACK).map("true"::equals).orElse(false);
        if (refusal == null && auditStream && !loopbackAdmin && (principal == null || !principal.hasRole("admin"))) {
            String reason = "the audit stream is for administrators (role admin)";
            audit.record("authz.denied", null, principal == null ? null : principal.userId(), peer, path, "denied", null, reason);
            forbid(reason);
        }
        String unbound = refusal == null ? bindProblem(principal, parameters) : null;
        if (unbound != null) {
            audit.record("authz.denied", null, principal == null ? null : principal.userId(), peer, path, "denied", null, unbound);
            forbid(unbound);
        }
        List<String> rooms = refusal == null ? autoRooms(principal, parameters, peer) : List.of();
        if (auditStream) {
            auditFilter = new AuditFilter(prologue.query().first("types").map(t -> Set.of(t.split(","))).orElse(Set.of()),
                    prologue.query().first("user").orElse(null), prologue.query().first("room").orElse(null),
                    prologue.query().first("ip").orElse(null));
        }
        if (refusal == null) {
            Admission admission = UpgradeGate.admission(limiter, peer, principal == null ? null : principal.userId(), path);
            if (admission instanceof Admission.Refused refused) {
                overLimit(Status.create(refused.status()), refused.message());
            } else {
                slot = ((Admission.Admitted) admission).slot();
            }
        }
        spec = new ConnectionSpec(path, "websocket", peer, principal, batch);
        scope = new ClientMessages.Scope(parameters, rooms);
        if (refusal == null) {
            // Registered and joined before the 101 is written (SPEC 13): an event published once the
            // client sees the connection open reaches it. Its writer waits for onOpen.
            connection = hub.openBeforeTransport(spec, sink, dialect, scope.rooms(), roomLimit());
            connection.holdSlot(slot);
            if (auditStream) {
                audit.watch(connection, auditFilter);
            }
        }
        PeerAwareUpgradeProvider.upgrading(this);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        if (refusal != null) {
            refuseAfterUpgrade(session, refusal);
            return;
        }
        sink.attach(session);
        connection.transportOpened();
    }

    /** Refuses the client for {@code reason} (no-op when {@code null}): 403 before the 101, or {@code error} + 4003 after. */
    private void forbid(String reason) {
        if (reason == null) {
            return;
        }
        if (endpoint.rejectBeforeUpgrade()) {
            throw refusal(Status.FORBIDDEN_403, ErrorCode.FORBIDDEN.name(), reason);
        }
        refusal = new Refusal(ErrorCode.FORBIDDEN, reason, CloseCode.FORBIDDEN, false);
    }

    /**
     * Refuses a client over a connection limit: {@code status} before the 101, or, on an endpoint with
     * {@code limit-failure: close}, {@code error CONNECTION_LIMIT} and close 4029 after it (a browser
     * sees only 1006 for a refused upgrade, and its page would retry at once).
     */
    private void overLimit(Status status, String reason) {
        if (!endpoint.closeOnLimit()) {
            throw refusal(status, ErrorCode.CONNECTION_LIMIT.name(), reason);
        }
        refusal = new Refusal(ErrorCode.CONNECTION_LIMIT, reason, CloseCode.CONNECTION_LIMIT, true);
    }

    /** Why the token does not match the path parameters the endpoint binds to its claims, or {@code null}. */
    private String bindProblem(Principal principal, Map<String, String> parameters) {
        for (Map.Entry<String, String> bound : endpoint.bind().entrySet()) {
            String value = parameters.get(bound.getKey());
            String claim = principal == null ? null : principal.userId(); // "sub", the one claim a bind may name
            if (claim == null || !claim.equals(value)) {
                return "this path's " + bound.getKey() + " must equal the token's " + bound.getValue()
                        + (principal == null ? "; connect with a token" : "");
            }
        }
        return null;
    }

    /**
     * The endpoint's rooms for this client, checked before the 101: a room it may not enter refuses it
     * like a failed bind, a room already full (the endpoint's {@code limits.per-room}, else {@code hub.limits.per-room}) answers 503.
     */
    private List<String> autoRooms(Principal principal, Map<String, String> parameters, String peer) {
        List<String> rooms = new ArrayList<>();
        for (Template template : endpoint.rooms()) {
            String room = template.expand(name -> parameters.containsKey(name) ? parameters.get(name)
                    : principal == null ? null : principal.userId());
            if (room == null) {
                forbid("this endpoint's room " + template + " needs an authenticated user; connect with a token");
                return List.of();
            }
            String problem = RoomName.problemWith(room);
            if (problem != null) {
                throw refusal(Status.BAD_REQUEST_400, ErrorCode.MESSAGE_INVALID.name(), "room " + room + ": " + problem);
            }
            RoomName name = new RoomName(room);
            String denial = name.reserved() && !name.equals(Hub.STATS_ROOM)
                    ? "room " + room + " is reserved for the hub" : hub.denial(principal, name);
            if (denial != null) {
                audit.record("authz.denied", null, principal == null ? null : principal.userId(), peer, path, "denied", room, denial);
                forbid(denial);
                return List.of();
            }
            if (hub.full(name, roomLimit())) {
                audit.record("limit.rejected", null, principal == null ? null : principal.userId(), peer, path, "room full", room, null);
                overLimit(Status.SERVICE_UNAVAILABLE_503, "room " + room + " is full: at most " + roomLimit() + " connections");
                return List.of();
            }
            rooms.add(room);
        }
        return rooms;
    }

    /** How many members the endpoint's auto-joined rooms may have: its own {@code limits.per-room}, else the hub's. */
    private int roomLimit() {
        return limiter.perRoom(path, hub.settings().maxConnectionsPerRoom());
    }

    /** Why a client is turned away after the upgrade, and with which close code. */
    private record Refusal(ErrorCode code, String reason, int closeCode, boolean reconnect) {
    }

    /**
     * Tells a refused client why, then closes (4001 for a token, 4003 for a role): the one refusal a
     * browser's WebSocket can read. Nothing else touches this session, so writing here is safe.
     */
    private void refuseAfterUpgrade(WsSession session, Refusal why) {
        session.send(dialect.render(new Outbound.Error(why.code(), why.reason(), null)), true);
        session.send(dialect.render(new Outbound.Disconnect(why.closeCode(), why.reason(), why.reconnect(), null)), true);
        session.close(why.closeCode(), SessionSink.fitReason(why.reason()));
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (connection == null) {
            return;
        }
        String message = inbound.add(connection, text, last, hub.settings().inboundMaxBytes());
        if (message != null && connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
            messages.handle(connection, message, scope);
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (last && connection != null && connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "binary frames are not supported; send JSON text frames", null);
        }
    }


    @Override
    public void onPong(WsSession session, BufferData buffer) {
        if (connection != null) {
            connection.pongReceived();
        }
    }



    /** An HTTP answer before the 101, with a JSON body {@code {"code","message"}}. */
    static RequestException refusal(Status status, String code, String message) {
        return RequestException.builder()
                .status(status)
                .message("{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}")
                .safeMessage(true)
                .header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json"))
                .build();
    }
}

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
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.port.Principal;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.MessageRenderer;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ErrorCode;

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
    private final AdmitConnectionUseCase admissions;
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
    HubSocket(Hub hub, WebSocketEndpoint endpoint, PathTemplate pathTemplate, AdmitConnectionUseCase admissions, EndpointAuthenticator auth,
              ConnectionLimiter limiter, AuditTrail audit, boolean auditStream, boolean loopbackAdmins,
              Function<Map<String, String>, MessageRenderer> dialects, ClientMessages messages) {
        this.hub = hub;
        this.admissions = admissions;
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
        UpgradeGate.noSubprotocol(headers, "the canonical JSON protocol");
        String peer = UpgradeGate.peer(headers);
        boolean batch = prologue.query().first("batch").map("1"::equals).orElse(false);
        Map<String, String> parameters = pathTemplate.parameters(prologue.uriPath().path());
        dialect = dialects.apply(parameters);
        boolean loopbackAdmin = loopbackAdmins && headers.first(PeerAwareUpgradeProvider.PEER_LOOPBACK).map("true"::equals).orElse(false);
        ConnectRequest request = new ConnectRequest(path, peer, loopbackAdmin, headers.first(HeaderNames.ORIGIN).orElse(null),
                endpoint.origins(), endpoint.auth(), UpgradeGate.token(auth, prologue, headers), auditStream, endpoint.bind(),
                endpoint.rooms(), parameters, roomLimit(), true);
        Principal principal = null;
        List<String> rooms = List.of();
        switch (admissions.admit(request)) {
            case Admission.Admitted admitted -> {
                principal = admitted.principal();
                slot = admitted.slot();
                rooms = admitted.rooms();
            }
            case Admission.Refused refused -> refusal = refusedAfterUpgrade(refused);
        }
        if (auditStream) {
            auditFilter = new AuditFilter(prologue.query().first("types").map(t -> Set.of(t.split(","))).orElse(Set.of()),
                    prologue.query().first("user").orElse(null), prologue.query().first("room").orElse(null),
                    prologue.query().first("ip").orElse(null));
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

    /**
     * How a refused client is told: after the 101, with {@code error} and a close code, where the endpoint
     * says so ({@code auth-failure: close} for a token or a forbidden room, {@code limit-failure: close} for
     * a limit) — the only refusal a browser's WebSocket can read; otherwise the HTTP answer to the upgrade.
     */
    private Refusal refusedAfterUpgrade(Admission.Refused refused) {
        int closeCode = switch (refused.reason()) {
            case TOKEN_REJECTED -> endpoint.rejectBeforeUpgrade() ? 0 : CloseCode.UNAUTHORIZED;
            case FORBIDDEN -> endpoint.rejectBeforeUpgrade() ? 0 : CloseCode.FORBIDDEN;
            case ROOM_FULL, CONNECTION_LIMIT -> endpoint.closeOnLimit() ? CloseCode.CONNECTION_LIMIT : 0;
            default -> 0;
        };
        if (closeCode == 0) {
            throw UpgradeGate.refusal(refused);
        }
        return new Refusal(ErrorCode.valueOf(refused.code()), refused.message(), closeCode,
                refused.reconnect() || closeCode == CloseCode.CONNECTION_LIMIT);
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

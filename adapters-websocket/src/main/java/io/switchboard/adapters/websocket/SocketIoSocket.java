package io.switchboard.adapters.websocket;

import io.switchboard.application.port.AuthMode;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.application.port.in.RefusalReason;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ErrorCode;

import java.util.List;
import java.util.Optional;

/**
 * One socket.io-client (Engine.IO v4 over WebSocket, SPEC 3.2). The upgrade passes the same checks as
 * the canonical endpoint (shutdown, Origin, limits per IP); the hub connection opens with the 101 and
 * says hello with the Engine.IO handshake. The token is read when the client connects to the
 * namespace ({@code 40}, from its {@code auth} payload or the upgrade request), because that is
 * where socket.io-client sends it; a refusal there is a connect error ({@code 44}), which the client
 * reports as {@code connect_error} and does not retry on its own.
 */
final class SocketIoSocket extends HubListener {
    private final Hub hub;
    private final SocketIoSettings settings;
    private final AdmitConnectionUseCase admissions;
    private final EndpointAuthenticator auth;
    private final CanonicalDialect canonical;
    private final SocketIoEvents events;
    private final InboundText inbound = new InboundText();
    private String peer;
    private String upgradeToken;
    /** What the client was admitted with before the 101; asked again with its token at the namespace connect. */
    private ConnectRequest request;
    private SocketIoDialect dialect;
    private boolean namespaceConnected;

    SocketIoSocket(Hub hub, SocketIoSettings settings, AdmitConnectionUseCase admissions, EndpointAuthenticator auth,
                   CanonicalDialect canonical, SocketIoEvents events) {
        this.hub = hub;
        this.settings = settings;
        this.admissions = admissions;
        this.auth = auth;
        this.canonical = canonical;
        this.events = events;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        String path = settings.basePath();
        if (!prologue.query().first("EIO").map("4"::equals).orElse(false)) {
            throw HubSocket.refusal(Status.BAD_REQUEST_400, ErrorCode.MESSAGE_INVALID.name(),
                    "this endpoint speaks Engine.IO 4 (EIO=4): use socket.io-client 3 or 4");
        }
        if (!prologue.query().first("transport").map("websocket"::equals).orElse(false)) {
            throw HubSocket.refusal(Status.BAD_REQUEST_400, ErrorCode.MESSAGE_INVALID.name(),
                    "only the websocket transport is served: connect with transports: [\"websocket\"]");
        }
        UpgradeGate.noSubprotocol(headers, "Engine.IO 4");
        peer = UpgradeGate.peer(headers);
        upgradeToken = UpgradeGate.token(auth, prologue, headers);
        // The token is read at the namespace connect, where socket.io-client sends it: admitted here by address only.
        request = ConnectRequest.of(path, peer, headers.first(HeaderNames.ORIGIN).orElse(null), settings.origins(),
                AuthMode.NONE, null);
        switch (admissions.admit(request)) {
            case Admission.Admitted admitted -> slot = admitted.slot();
            case Admission.Refused refused -> throw UpgradeGate.refusal(refused);
        }
        PeerAwareUpgradeProvider.upgrading(this);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        dialect = new SocketIoDialect(canonical, hub.settings().inboundMaxBytes());
        connection = hub.open(new ConnectionSpec(settings.basePath(), "websocket", peer, null, false),
                new SocketIoSink(new SessionSink(session)), dialect);
        connection.holdSlot(slot);
    }


    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (connection == null) {
            return;
        }
        String frame = inbound.add(connection, text, last, hub.settings().inboundMaxBytes());
        if (frame == null) {
            return;
        }
        char type = frame.isEmpty() ? ' ' : frame.charAt(0);
        switch (type) {
            // A pong answers the hub's ping and is not a client message: it never counts against the rate.
            case EngineIoPacket.PONG -> connection.pongReceived();
            case EngineIoPacket.CLOSE -> connection.close(CloseCode.NORMAL, "the client closed", false, null, true);
            case EngineIoPacket.PING, EngineIoPacket.NOOP, EngineIoPacket.UPGRADE -> {
                // Engine.IO 4 clients do not ping, and there is nothing to upgrade to.
            }
            case EngineIoPacket.MESSAGE -> {
                if (connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
                    packet(frame.substring(1));
                }
            }
            default -> {
                if (connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
                    hub.reject(connection, ErrorCode.MESSAGE_INVALID, "not an Engine.IO packet: it must start with a type digit 1-6", null);
                }
            }
        }
    }

    private void packet(String text) {
        SocketIoPacket packet;
        try {
            packet = SocketIoPacket.parse(text);
        } catch (IllegalArgumentException e) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, e.getMessage(), null);
            return;
        }
        if (!SocketIoPacket.DEFAULT_NAMESPACE.equals(packet.namespace())) {
            if (packet.type() == SocketIoPacket.CONNECT) {
                hub.reject(connection, ErrorCode.MESSAGE_INVALID, "Invalid namespace", SocketIoDialect.NAMESPACE_REF + packet.namespace());
            }
            return; // packets for a namespace that was never connected have no one to go to
        }
        switch (packet.type()) {
            case SocketIoPacket.CONNECT -> connect(packet);
            case SocketIoPacket.DISCONNECT -> connection.close(CloseCode.NORMAL, "the client disconnected", false, null, true);
            case SocketIoPacket.EVENT -> {
                if (namespaceConnected) {
                    events.handle(connection, dialect, packet);
                } else {
                    hub.reject(connection, ErrorCode.MESSAGE_INVALID, "connect to the namespace / before sending events",
                            SocketIoDialect.CONNECT_REF);
                }
            }
            case SocketIoPacket.ACK -> {
                // The hub sends no event that asks for an ack.
            }
            default -> hub.reject(connection, ErrorCode.MESSAGE_INVALID, "a client does not send packet type " + packet.type(), null);
        }
    }

    /** {@code 40} with an optional {@code {"token": …}}: authenticate, count the user, answer {@code 40{"sid"}}. */
    private void connect(SocketIoPacket packet) {
        if (namespaceConnected) {
            return;
        }
        String token = packet.data() != null && packet.data().isObject() && packet.data().path("token").isTextual()
                ? packet.data().get("token").textValue() : upgradeToken;
        // The slot taken before the 101 knew only the address; the one taken now counts the user too.
        slot.release();
        switch (admissions.admit(request.later(settings.auth(), token))) {
            case Admission.Admitted admitted -> {
                slot = admitted.slot();
                connection.holdSlot(slot);
                if (admitted.principal() != null) {
                    connection.refresh(admitted.principal());
                }
            }
            case Admission.Refused refused -> {
                boolean badToken = refused.reason() == RefusalReason.TOKEN_REJECTED;
                refuse(badToken ? ErrorCode.valueOf(refused.code()) : ErrorCode.CONNECTION_LIMIT, refused.message(),
                        badToken ? CloseCode.UNAUTHORIZED : CloseCode.POLICY);
                return;
            }
        }
        namespaceConnected = true;
        // socket.io-client fires `connect` on the answer queued next, and a frontend joins its rooms
        // there: those joins start at this moment, not when the hub reads them (SPEC 13).
        hub.startJoinsWhereSeen(connection);
        connection.send(new Outbound.Connected(connection.id().value(), connection.userId(), List.of(),
                hub.settings().heartbeatInterval().toMillis(), hub.settings().heartbeatTimeout().toMillis()));
    }

    private void refuse(ErrorCode code, String message, int closeCode) {
        hub.reject(connection, code, message, SocketIoDialect.CONNECT_REF);
        connection.close(closeCode, message, false, null, false);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (last && connection != null && connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "binary frames are not supported; send JSON arguments", null);
        }
    }



}

package io.switchboard.adapters.websocket;

import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.FrameSink;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.AuthMode;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.port.ConnectionSlot;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.application.port.in.RefusalReason;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ErrorCode;
import java.util.List;

/**
 * One socket.io-client (Engine.IO v4, SPEC 3.2), whichever transport carries its packets: a WebSocket
 * (one packet per frame) or HTTP long-polling (packets joined by {@link EngineIoPacket#SEPARATOR}), and
 * a polling session that upgrades keeps this same session. The client is admitted once, by address and
 * Origin, when its first request arrives; the token is read when it connects to the namespace
 * ({@code 40}, from its {@code auth} payload or the first request), because that is where
 * socket.io-client sends it; a refusal there is a connect error ({@code 44}), which the client reports
 * as {@code connect_error} and does not retry on its own.
 *
 * <p>Its packets arrive one at a time: from the WebSocket's reader, or from one POST after another.
 */
final class EngineIoSession {
    private final Hub hub;
    private final SocketIoSettings settings;
    private final AdmitConnectionUseCase admissions;
    private final CanonicalDialect canonical;
    private final SocketIoEvents events;
    private final String peer;
    private final String firstToken;
    /** What the client was admitted with at its first request; asked again with its token at the namespace connect. */
    private final ConnectRequest request;
    /** The client's first request, for the connect hook asked at the namespace connect. */
    private final ConnectRequest.Door door;
    private volatile ConnectionSlot slot;
    private volatile Connection connection;
    private SocketIoDialect dialect;
    private boolean namespaceConnected;

    EngineIoSession(Hub hub, SocketIoSettings settings, AdmitConnectionUseCase admissions, CanonicalDialect canonical,
                    SocketIoEvents events, String peer, String origin, String token, ConnectRequest.Door door) {
        this.hub = hub;
        this.settings = settings;
        this.admissions = admissions;
        this.canonical = canonical;
        this.events = events;
        this.peer = peer;
        this.firstToken = token;
        this.door = door;
        // The token is read at the namespace connect, where socket.io-client sends it: admitted here by address only.
        this.request = ConnectRequest.of(settings.basePath(), peer, origin, settings.origins(), AuthMode.NONE, null);
    }

    /** Admits the client (shutdown, Origin, limits per IP); on success it holds a place in the limits. */
    Admission.Refused admit() {
        switch (admissions.admit(request)) {
            case Admission.Admitted admitted -> {
                slot = admitted.slot();
                return null;
            }
            case Admission.Refused refused -> {
                return refused;
            }
        }
    }

    /** The place in the limits taken by {@link #admit()}, until the connection holds it. */
    ConnectionSlot slot() {
        return slot;
    }

    /**
     * Opens the hub connection on {@code sink}; its writer sends the Engine.IO handshake at once.
     *
     * @param transport  how the connection is listed ({@code websocket}, {@code polling})
     * @param upgradable whether the handshake offers the WebSocket upgrade
     */
    Connection open(String transport, FrameSink sink, boolean upgradable) {
        dialect = new SocketIoDialect(canonical, hub.settings().inboundMaxBytes(), upgradable);
        Connection opened = hub.open(new ConnectionSpec(settings.basePath(), transport, peer, null, false), sink, dialect);
        opened.holdSlot(slot);
        connection = opened;
        return opened;
    }

    Connection connection() {
        return connection;
    }

    /** The transport ended with {@code code}: the connection ends, or the place it was admitted to is given back. */
    void transportEnded(int code) {
        Connection c = connection;
        if (c != null) {
            c.transportClosed(code);
        } else if (slot != null) {
            slot.release();
        }
    }

    /** One whole Engine.IO packet from the client (a pong, a close, a Socket.IO message, …). */
    synchronized void receive(String frame) {
        char type = frame.isEmpty() ? ' ' : frame.charAt(0);
        switch (type) {
            // A pong answers the hub's ping and is not a client message: it never counts against the rate.
            case EngineIoPacket.PONG -> connection.pongReceived();
            case EngineIoPacket.CLOSE -> connection.close(CloseCode.NORMAL, "the client closed", false, null, true);
            case EngineIoPacket.PING, EngineIoPacket.NOOP, EngineIoPacket.UPGRADE -> {
                // Engine.IO 4 clients do not ping; an upgrade is only valid on the probing WebSocket.
            }
            case EngineIoPacket.MESSAGE -> {
                SocketIoPacket packet;
                try {
                    packet = SocketIoPacket.parse(frame.substring(1));
                } catch (IllegalArgumentException e) {
                    if (connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
                        hub.reject(connection, ErrorCode.MESSAGE_INVALID, e.getMessage(), null);
                    }
                    return;
                }
                // Parsed first, so that an event refused for the rate still answers the ack its sender awaits.
                if (connection.admitInbound(packet.ackId() == null ? null : packet.ackId().toString())
                        == Connection.InboundVerdict.ADMITTED) {
                    packet(packet);
                }
            }
            default -> {
                if (connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
                    hub.reject(connection, ErrorCode.MESSAGE_INVALID, "not an Engine.IO packet: it must start with a type digit 1-6", null);
                }
            }
        }
    }

    /** Binary data (a WebSocket binary frame) is not served: the client is told so, once per message. */
    synchronized void binaryRefused() {
        if (connection != null && connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "binary frames are not supported; send JSON arguments", null);
        }
    }

    private void packet(SocketIoPacket packet) {
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
                ? packet.data().get("token").textValue() : firstToken;
        // The slot taken at the first request knew only the address; the one taken now counts the user too.
        slot.release();
        List<String> rooms = List.of();
        switch (admissions.admit(request.later(settings.auth(), token).through(door))) {
            case Admission.Admitted admitted -> {
                slot = admitted.slot();
                connection.holdSlot(slot);
                if (admitted.principal() != null) {
                    connection.refresh(admitted.principal());
                }
                rooms = admitted.rooms(); // the connect hook's
            }
            case Admission.Refused refused -> {
                switch (refused.reason()) {
                    case TOKEN_REJECTED -> refuse(refused.code(), refused.message(), CloseCode.UNAUTHORIZED);
                    case FORBIDDEN -> refuse(refused.code(), refused.message(), CloseCode.FORBIDDEN);
                    default -> refuse(ErrorCode.CONNECTION_LIMIT.name(), refused.message(), CloseCode.POLICY);
                }
                return;
            }
        }
        hub.joinOnConnect(connection, rooms);
        namespaceConnected = true;
        // socket.io-client fires `connect` on the answer queued next, and a frontend joins its rooms
        // there: those joins start at this moment, not when the hub reads them (SPEC 13).
        hub.startJoinsWhereSeen(connection);
        connection.send(new Outbound.Connected(connection.id().value(), connection.userId(), List.of(),
                hub.settings().heartbeatInterval().toMillis(), hub.settings().heartbeatTimeout().toMillis()));
    }

    private void refuse(String code, String message, int closeCode) {
        connection.send(new Outbound.Error(code, message, SocketIoDialect.CONNECT_REF));
        connection.close(closeCode, message, false, null, false);
    }
}

package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.websocket.WsSession;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ErrorCode;

import java.util.Optional;

/**
 * One socket.io-client's WebSocket (Engine.IO v4, SPEC 3.2): either a new session, whose upgrade passes
 * the same checks as the canonical endpoint (shutdown, Origin, limits per IP) and whose hub connection
 * opens with the 101 and says hello with the Engine.IO handshake; or the upgrade of a long-polling
 * session ({@code sid=…}): the client probes ({@code 2probe}, answered {@code 3probe}), pauses its
 * polling and sends {@code 5}, and from then on the same {@link EngineIoSession} continues here.
 */
final class SocketIoSocket extends HubListener {
    private static final String PROBE = "2probe";
    private static final String PROBE_ANSWER = "3probe";
    private static final String UPGRADE = String.valueOf(EngineIoPacket.UPGRADE);

    private final Hub hub;
    private final SocketIoSettings settings;
    private final EngineIoSessions engineIo;
    private final EndpointAuthenticator auth;
    private final PollingSessions polling;
    private final InboundText inbound = new InboundText();
    private EngineIoSession session;
    /** The long-polling session this WebSocket upgrades, until it has ({@code null} for a new session). */
    private PollingSession upgrading;
    private SessionSink probe;

    SocketIoSocket(EngineIoSessions engineIo, EndpointAuthenticator auth, PollingSessions polling) {
        this.hub = engineIo.hub();
        this.settings = engineIo.settings();
        this.engineIo = engineIo;
        this.auth = auth;
        this.polling = polling;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        if (!prologue.query().first("EIO").map("4"::equals).orElse(false)) {
            throw HubSocket.refusal(Status.BAD_REQUEST_400, ErrorCode.MESSAGE_INVALID.name(),
                    "this endpoint speaks Engine.IO 4 (EIO=4): use socket.io-client 3 or 4");
        }
        if (!prologue.query().first("transport").map("websocket"::equals).orElse(false)) {
            throw HubSocket.refusal(Status.BAD_REQUEST_400, ErrorCode.MESSAGE_INVALID.name(),
                    "a WebSocket upgrade needs transport=websocket");
        }
        UpgradeGate.noSubprotocol(headers, "Engine.IO 4");
        String sid = prologue.query().first("sid").orElse(null);
        if (sid != null) {
            upgrading = polling.get(sid);
            if (upgrading == null) {
                throw engineIoRefusal(EngineIoError.UNKNOWN_SID, null);
            }
            String origin = headers.first(HeaderNames.ORIGIN).orElse(null);
            if (!settings.originAllowed(origin)) {
                throw engineIoRefusal(EngineIoError.FORBIDDEN, "Origin " + origin + " is not allowed");
            }
            if (upgrading.sink().upgraded()) {
                throw engineIoRefusal(EngineIoError.BAD_REQUEST, "the session is already on WebSocket");
            }
            PeerAwareUpgradeProvider.upgrading(this);
            return Optional.empty();
        }
        session = engineIo.open(UpgradeGate.peer(headers),
                headers.first(HeaderNames.ORIGIN).orElse(null), UpgradeGate.token(auth, prologue, headers),
                new ConnectRequest.Door(prologue.uriPath().path(), name -> headers.first(HeaderNames.create(name)).orElse(null)));
        Admission.Refused refused = session.admit();
        if (refused != null) {
            throw UpgradeGate.refusal(refused);
        }
        slot = session.slot();
        PeerAwareUpgradeProvider.upgrading(this);
        return Optional.empty();
    }

    private static RequestException engineIoRefusal(EngineIoError error, String reason) {
        return RequestException.builder()
                .status(error.status())
                .message(error.body(reason))
                .safeMessage(true)
                .header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json"))
                .build();
    }

    @Override
    public void onOpen(WsSession ws) {
        if (upgrading != null) {
            probe = new SessionSink(ws);
            return;
        }
        connection = session.open("websocket", new SocketIoSink(new SessionSink(ws)), false);
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        if (upgrading != null) {
            probing(ws, text, last);
            return;
        }
        if (connection == null) {
            return;
        }
        String frame = inbound.add(connection, text, last, hub.settings().inboundMaxBytes());
        if (frame != null) {
            session.receive(frame);
        }
    }

    /**
     * Before the upgrade only the probe and the upgrade itself are valid; the polling session carries
     * everything else meanwhile. Anything else ends this WebSocket, and the client goes on polling.
     */
    private void probing(WsSession ws, String text, boolean last) {
        if (last && PROBE.equals(text)) {
            upgrading.sink().probing();
            probe.text(PROBE_ANSWER);
            probe.flush();
        } else if (last && UPGRADE.equals(text) && upgrading.sink().upgrade(new SocketIoSink(probe))) {
            session = upgrading.session();
            connection = session.connection();
            connection.transportUpgraded("websocket");
            polling.remove(connection.id().value());
            upgrading = null;
        } else {
            probe.close(CloseCode.POLICY, "expected 2probe, then 5");
        }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        if (last && session != null && upgrading == null) {
            session.binaryRefused();
        }
    }
}

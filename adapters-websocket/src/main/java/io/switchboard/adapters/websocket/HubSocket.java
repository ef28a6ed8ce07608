package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
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

import java.util.Optional;

/**
 * One WebSocket client (Helidon creates one listener per connection). Everything that can be
 * decided before the 101 is decided in {@link #onHttpUpgrade}; inbound messages are size-checked
 * across fragments and rate-limited before they are understood.
 */
final class HubSocket implements WsListener {
    private static final System.Logger LOG = System.getLogger(HubSocket.class.getName());
    private final Hub hub;
    private final WebSocketSettings settings;
    private final EndpointAuthenticator auth;
    private final ConnectionLimiter limiter;
    private final MessageRenderer dialect;
    private final ClientMessages messages;
    private final StringBuilder fragments = new StringBuilder();
    private int fragmentBytes;
    private ConnectionSpec spec;
    private TokenRejectedException authFailure;
    private Slot slot;
    private Connection connection;

    HubSocket(Hub hub, WebSocketSettings settings, EndpointAuthenticator auth, ConnectionLimiter limiter, MessageRenderer dialect,
              ClientMessages messages) {
        this.hub = hub;
        this.settings = settings;
        this.auth = auth;
        this.limiter = limiter;
        this.dialect = dialect;
        this.messages = messages;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        if (!hub.accepting()) {
            throw refusal(Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", "the hub is shutting down; retry shortly");
        }
        if (headers.contains(WsUpgrader.PROTOCOL)) {
            throw refusal(Status.BAD_REQUEST_400, ErrorCode.MESSAGE_INVALID.name(),
                    "unsupported Sec-WebSocket-Protocol; this endpoint speaks the canonical JSON protocol without a subprotocol");
        }
        String peer = headers.first(PeerAwareUpgradeProvider.PEER).orElse("unknown");
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !settings.origins().isEmpty() && !settings.origins().contains(origin.get())) {
            LOG.log(System.Logger.Level.INFO, "connection refused ip={0} endpoint={1}: Origin not allowed", peer, settings.path());
            throw refusal(Status.FORBIDDEN_403, ErrorCode.FORBIDDEN.name(), "this Origin is not allowed on " + settings.path());
        }
        boolean batch = prologue.query().first("batch").map("1"::equals).orElse(false);
        Principal principal = null;
        try {
            principal = auth.authenticate(settings.auth(), auth.findToken(headers.first(HeaderNames.AUTHORIZATION).orElse(null),
                    prologue.query().first("token").orElse(null), headers.first(HeaderNames.COOKIE).orElse(null)));
        } catch (TokenRejectedException e) {
            if (settings.rejectBeforeUpgrade()) {
                throw refusal(Status.UNAUTHORIZED_401, e.code().name(), e.getMessage());
            }
            authFailure = e;
        }
        if (authFailure == null) {
            Admission admission = limiter.admit(peer, principal == null ? null : principal.userId());
            if (admission instanceof Admission.Refused refused) {
                LOG.log(System.Logger.Level.INFO, "connection refused ip={0} endpoint={1}: {2}", peer, settings.path(), refused.code());
                throw refusal(Status.create(refused.status()), refused.code(), refused.message());
            }
            slot = ((Admission.Admitted) admission).slot();
        }
        spec = new ConnectionSpec(settings.path(), "websocket", peer, principal, batch);
        PeerAwareUpgradeProvider.upgrading(this);
        return Optional.empty();
    }

    /** Helidon finished with the connection, whether or not it told {@link #onClose}. */
    void transportEnded() {
        if (connection != null) {
            connection.transportClosed(1006);
        } else if (slot != null) {
            slot.release();
        }
    }

    @Override
    public void onOpen(WsSession session) {
        if (authFailure != null) {
            refuseAfterUpgrade(session, authFailure);
            return;
        }
        connection = hub.open(spec, new SessionSink(session), dialect);
        connection.holdSlot(slot);
    }

    /**
     * Tells a client whose token failed why, then closes with 4001: the one refusal a browser's
     * WebSocket can read. Nothing else touches this session, so writing here is safe.
     */
    private void refuseAfterUpgrade(WsSession session, TokenRejectedException failure) {
        session.send(dialect.render(new Outbound.Error(failure.code(), failure.getMessage(), null)), true);
        session.send(dialect.render(new Outbound.Disconnect(CloseCode.UNAUTHORIZED, failure.getMessage(),
                failure.code() == ErrorCode.AUTH_EXPIRED, null)), true);
        session.close(CloseCode.UNAUTHORIZED, SessionSink.fitReason(failure.getMessage()));
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (connection == null) {
            return;
        }
        fragmentBytes += utf8Length(text);
        if (fragmentBytes > hub.settings().inboundMaxBytes()) {
            fragments.setLength(0);
            connection.close(CloseCode.TOO_LARGE, "message too large: the limit is "
                    + hub.settings().inboundMaxBytes() + " bytes", true, null, true);
            return;
        }
        if (!last) {
            fragments.append(text);
            return;
        }
        String message = fragments.isEmpty() ? text : fragments.append(text).toString();
        fragments.setLength(0);
        fragmentBytes = 0;
        if (connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
            messages.handle(connection, message);
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (last && connection != null && connection.admitInbound() == Connection.InboundVerdict.ADMITTED) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "binary frames are not supported; send JSON text frames", null);
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        if (connection == null) {
            return;
        }
        byte[] payload = new byte[buffer.available()];
        buffer.read(payload);
        connection.send(new Outbound.PingReply(payload));
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        if (connection != null) {
            connection.pongReceived();
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (connection != null) {
            connection.transportClosed(status);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        if (connection != null) {
            connection.transportClosed(1006);
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

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

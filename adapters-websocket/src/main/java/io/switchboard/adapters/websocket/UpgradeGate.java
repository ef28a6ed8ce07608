package io.switchboard.adapters.websocket;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.websocket.WsUpgrader;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.limits.Admission;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.limits.Slot;
import io.switchboard.domain.ErrorCode;

import java.util.List;
import java.util.Optional;

/** The checks every WebSocket endpoint makes before the 101, whatever protocol it speaks afterwards. */
final class UpgradeGate {
    private static final System.Logger LOG = System.getLogger(UpgradeGate.class.getName());

    private UpgradeGate() {
    }

    /** The caller's address, as {@link PeerAwareUpgradeProvider} wrote it into the upgrade headers. */
    static String peer(Headers headers) {
        return headers.first(PeerAwareUpgradeProvider.PEER).orElse("unknown");
    }

    /**
     * Refuses with 503 while the hub shuts down and with 403 for an {@code Origin} outside
     * {@code origins} (empty allows any; a request without an Origin is not a browser's and passes).
     */
    static void check(Hub hub, List<String> origins, Headers headers, AuditTrail audit, String path) {
        if (!hub.accepting()) {
            throw HubSocket.refusal(Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", "the hub is shutting down; retry shortly");
        }
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !origins.isEmpty() && !origins.contains(origin.get())) {
            String peer = peer(headers);
            LOG.log(System.Logger.Level.INFO, "connection refused ip={0} endpoint={1}: Origin not allowed", peer, path);
            audit.record("connection.rejected", null, null, peer, path, "403", null, "Origin not allowed");
            throw HubSocket.refusal(Status.FORBIDDEN_403, ErrorCode.FORBIDDEN.name(), "this Origin is not allowed on " + path);
        }
    }

    /**
     * Refuses with 400 an upgrade that asks for a subprotocol: no endpoint speaks one, and a 101 without
     * the header would only fail in the client after the hub had opened the connection.
     */
    static void noSubprotocol(Headers headers, String speaks) {
        if (headers.contains(WsUpgrader.PROTOCOL)) {
            throw HubSocket.refusal(Status.BAD_REQUEST_400, ErrorCode.MESSAGE_INVALID.name(),
                    "unsupported Sec-WebSocket-Protocol; this endpoint speaks " + speaks + " without a subprotocol");
        }
    }

    /** The token an upgrade request carries: {@code Authorization: Bearer}, the {@code token} query parameter or the cookie. */
    static String token(EndpointAuthenticator auth, HttpPrologue prologue, Headers headers) {
        return auth.findToken(headers.first(HeaderNames.AUTHORIZATION).orElse(null),
                prologue.query().first("token").orElse(null), headers.first(HeaderNames.COOKIE).orElse(null));
    }

    /** Counts the attempt against the address's attempts per minute; over them, 429 as the answer to the upgrade. */
    static void attempt(ConnectionLimiter limiter, String peer, String path) {
        Admission.Refused refused = limiter.attempt(peer, path);
        if (refused != null) {
            LOG.log(System.Logger.Level.INFO, "connection refused ip={0} endpoint={1}: {2}", peer, path, refused.code());
            throw HubSocket.refusal(Status.create(refused.status()), refused.code(), refused.message());
        }
    }

    /** A place in the connection limits, or the refusal (503/429) as the answer to the upgrade. */
    static Slot admit(ConnectionLimiter limiter, String peer, String userId, String path) {
        Admission admission = admission(limiter, peer, userId, path);
        if (admission instanceof Admission.Refused refused) {
            throw HubSocket.refusal(Status.create(refused.status()), refused.code(), refused.message());
        }
        return ((Admission.Admitted) admission).slot();
    }

    /** A place in the connection limits or the refusal, logged; the caller answers a refusal. */
    static Admission admission(ConnectionLimiter limiter, String peer, String userId, String path) {
        Admission admission = limiter.admit(peer, userId, path);
        if (admission instanceof Admission.Refused refused) {
            LOG.log(System.Logger.Level.INFO, "connection refused ip={0} endpoint={1}: {2}", peer, path, refused.code());
        }
        return admission;
    }
}

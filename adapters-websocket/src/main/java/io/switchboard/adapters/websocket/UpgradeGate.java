package io.switchboard.adapters.websocket;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.websocket.WsUpgrader;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.RefusalReason;
import io.switchboard.domain.ErrorCode;


/** The checks every WebSocket endpoint makes before the 101, whatever protocol it speaks afterwards. */
final class UpgradeGate {

    private UpgradeGate() {
    }

    /** The caller's address, as {@link PeerAwareUpgradeProvider} wrote it into the upgrade headers. */
    static String peer(Headers headers) {
        return headers.first(PeerAwareUpgradeProvider.PEER).orElse("unknown");
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

    /** The HTTP answer to an upgrade the admission refused, with the JSON body {@code {"code","message"}}. */
    static RequestException refusal(Admission.Refused refused) {
        return HubSocket.refusal(status(refused.reason()), refused.code(), refused.message());
    }

    /** What a refusal before the 101 answers. */
    static Status status(RefusalReason reason) {
        return switch (reason) {
            case UNAVAILABLE, ROOM_FULL, CONNECTION_LIMIT -> Status.SERVICE_UNAVAILABLE_503;
            case ORIGIN_NOT_ALLOWED, ORIGIN_MISSING, FORBIDDEN -> Status.FORBIDDEN_403;
            case TOO_MANY_ATTEMPTS -> Status.TOO_MANY_REQUESTS_429;
            case TOKEN_REJECTED -> Status.UNAUTHORIZED_401;
            case INVALID -> Status.BAD_REQUEST_400;
        };
    }
}

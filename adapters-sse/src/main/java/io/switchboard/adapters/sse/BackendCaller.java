package io.switchboard.adapters.sse;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What a backend stream's request shows at the door: its bearer credential, and whether it counts as an
 * administrator for being on this machine while no credentials are configured.
 */
final class BackendCaller {
    private static final String BEARER = "Bearer ";

    private final boolean loopbackAdmins;

    /** @param loopbackAdmins whether callers on this machine are administrators (no API key nor JWK set configured) */
    BackendCaller(boolean loopbackAdmins) {
        this.loopbackAdmins = loopbackAdmins;
    }

    /** The {@code Authorization: Bearer} credential, if the request has one. */
    Optional<String> credential(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.startsWith(BEARER))
                .map(value -> value.substring(BEARER.length()).trim());
    }

    boolean loopbackAdmin(ServerRequest req) {
        return loopbackAdmins && req.remotePeer().address() instanceof InetSocketAddress inet
                && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }
}

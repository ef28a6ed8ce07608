package io.switchboard.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Decides who may publish: a configured API key as {@code Authorization: Bearer}, or, when no key is
 * configured, any loopback client (and nobody else).
 */
final class PublisherGate {
    private static final String BEARER = "Bearer ";

    private final List<byte[]> keys;

    PublisherGate(List<String> apiKeys) {
        this.keys = apiKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    boolean loopbackOnly() {
        return keys.isEmpty();
    }

    /** Answers 401/403 and returns {@code false} when the caller may not publish. */
    boolean admit(ServerRequest req, ServerResponse res) {
        if (keys.isEmpty()) {
            if (loopback(req.remotePeer().address())) {
                return true;
            }
            JsonBodies.sendError(res, Status.FORBIDDEN_403, "FORBIDDEN",
                    "no API key is configured (hub.publish.api-keys), so only loopback clients may publish");
            return false;
        }
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (header == null || !header.startsWith(BEARER)) {
            JsonBodies.sendError(res, Status.UNAUTHORIZED_401, "AUTH_INVALID",
                    "publishing needs a publisher credential: Authorization: Bearer <api key>");
            return false;
        }
        byte[] presented = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (byte[] key : keys) {
            known |= MessageDigest.isEqual(key, presented);
        }
        if (!known) {
            JsonBodies.sendError(res, Status.UNAUTHORIZED_401, "AUTH_INVALID", "the API key is not valid");
        }
        return known;
    }

    private static boolean loopback(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            return ip != null && ip.isLoopbackAddress();
        }
        return false;
    }
}

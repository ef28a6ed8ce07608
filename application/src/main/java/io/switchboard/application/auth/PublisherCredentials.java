package io.switchboard.application.auth;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Who may act as a publisher (publish events, read upstream commands): a caller presenting one of
 * the configured API keys as {@code Authorization: Bearer <key>}, or — when no key is configured —
 * any loopback caller and nobody else.
 */
public final class PublisherCredentials {
    private static final String BEARER = "Bearer ";

    /** The outcome of a check; everything but {@code ALLOWED} is refused. */
    public enum Verdict {
        ALLOWED,
        /** No bearer credential was presented (HTTP 401). */
        MISSING,
        /** A credential was presented but is not a configured key (HTTP 401). */
        INVALID,
        /** No key is configured and the caller is not on this machine (HTTP 403). */
        NOT_LOOPBACK
    }

    private final List<byte[]> keys;

    public PublisherCredentials(List<String> apiKeys) {
        this.keys = apiKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public boolean loopbackOnly() {
        return keys.isEmpty();
    }

    /**
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param caller        the caller's socket address
     */
    public Verdict check(String authorization, SocketAddress caller) {
        if (keys.isEmpty()) {
            boolean loopback = caller instanceof InetSocketAddress inet && inet.getAddress() != null
                    && inet.getAddress().isLoopbackAddress();
            return loopback ? Verdict.ALLOWED : Verdict.NOT_LOOPBACK;
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return Verdict.MISSING;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (byte[] key : keys) {
            known |= MessageDigest.isEqual(key, presented);
        }
        return known ? Verdict.ALLOWED : Verdict.INVALID;
    }

    /** What to tell a refused caller; never echoes what it sent. */
    public static String explain(Verdict verdict) {
        return switch (verdict) {
            case ALLOWED -> "allowed";
            case MISSING -> "this needs a publisher credential: Authorization: Bearer <api key>";
            case INVALID -> "the API key is not valid";
            case NOT_LOOPBACK -> "no API key is configured (hub.publish.api-keys), so only loopback clients may do this";
        };
    }
}

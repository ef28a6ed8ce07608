package io.switchboard.application.auth;

import io.switchboard.application.port.out.TokenVerifier;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Who may act as a publisher (publish events, read upstream commands): a caller presenting, as
 * {@code Authorization: Bearer}, one of the configured API keys or a valid JWT with the role
 * {@code publisher}; or — when neither keys nor JWT verification are configured — any loopback
 * caller and nobody else.
 */
public final class PublisherCredentials {
    private static final String BEARER = "Bearer ";

    /** The outcome of a check; everything but {@code ALLOWED} is refused. */
    public enum Verdict {
        ALLOWED,
        /** No bearer credential was presented (HTTP 401). */
        MISSING,
        /** A credential was presented but is not a configured key nor a valid token (HTTP 401). */
        INVALID,
        /** A valid token without the {@code publisher} role (HTTP 403). */
        NOT_PUBLISHER,
        /** No key is configured and the caller is not on this machine (HTTP 403). */
        NOT_LOOPBACK
    }

    private final List<byte[]> keys;
    private final Optional<TokenVerifier> tokens;

    public PublisherCredentials(List<String> apiKeys, Optional<TokenVerifier> tokens) {
        this.keys = apiKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.tokens = tokens;
    }

    public boolean loopbackOnly() {
        return keys.isEmpty() && tokens.isEmpty();
    }

    /**
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param caller        the caller's socket address
     */
    public Verdict check(String authorization, SocketAddress caller) {
        if (loopbackOnly()) {
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
        if (known) {
            return Verdict.ALLOWED;
        }
        if (tokens.isEmpty()) {
            return Verdict.INVALID;
        }
        try {
            return tokens.get().verify(new String(presented, StandardCharsets.UTF_8)).hasRole("publisher")
                    ? Verdict.ALLOWED : Verdict.NOT_PUBLISHER;
        } catch (TokenRejectedException e) {
            return Verdict.INVALID;
        }
    }

    /** What to tell a refused caller; never echoes what it sent. */
    public static String explain(Verdict verdict) {
        return switch (verdict) {
            case ALLOWED -> "allowed";
            case MISSING -> "this needs a publisher credential: Authorization: Bearer <api key or token with role publisher>";
            case INVALID -> "the credential is neither a configured API key nor a valid token";
            case NOT_PUBLISHER -> "the token lacks the publisher role";
            case NOT_LOOPBACK -> "no API key is configured (hub.publish.api-keys), so only loopback clients may do this";
        };
    }
}

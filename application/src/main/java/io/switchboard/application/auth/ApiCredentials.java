package io.switchboard.application.auth;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.port.Principal;
import io.switchboard.application.port.out.TokenVerifier;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the HTTP API as a publisher (publish events, read upstream commands) or as an
 * administrator (audit, admin API). Publishers present, as {@code Authorization: Bearer}, one of the
 * configured API keys or a valid JWT with the role {@code publisher}; administrators a valid JWT with
 * the role {@code admin}. When neither keys nor JWT verification are configured, any loopback
 * caller may do both, and nobody else.
 */
public final class ApiCredentials {
    private static final String BEARER = "Bearer ";

    /** The outcome of a check; everything but {@code ALLOWED} is refused. */
    public enum Verdict {
        ALLOWED,
        /** No bearer credential was presented (HTTP 401). */
        MISSING,
        /** A credential was presented but is not a configured key nor a valid token (HTTP 401). */
        INVALID,
        /** A valid token without the role needed (HTTP 403). */
        MISSING_ROLE,
        /** No key is configured and the caller is not on this machine (HTTP 403). */
        NOT_LOOPBACK
    }

    /** Who publishes, for the audit trail: never a key, only a label for it. */
    public static final String LOOPBACK = "loopback";

    /**
     * A publisher check's verdict and, when {@code ALLOWED}, who the caller is: {@code api-key:<n>}
     * (the n-th of {@code hub.publish.api-keys}, from 1), a token's subject, or {@link #LOOPBACK}.
     */
    public record Publisher(Verdict verdict, String identity) {
    }

    private final List<byte[]> keys;
    private final Optional<TokenVerifier> tokens;

    public ApiCredentials(List<String> apiKeys, Optional<TokenVerifier> tokens) {
        this.keys = apiKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.tokens = tokens;
    }

    public boolean loopbackOnly() {
        return keys.isEmpty() && tokens.isEmpty();
    }

    /** May this caller act as an administrator? API keys do not make anyone an administrator. */
    public Verdict checkAdmin(String authorization, SocketAddress caller) {
        return check(AuthMode.API_ADMIN, bearer(authorization), loopback(caller));
    }

    /**
     * May a caller presenting {@code credential} (or {@code null}) act as {@code mode} says: an API
     * key or a publisher's token for {@link AuthMode#API_PUBLISHER}, an administrator's token for
     * {@link AuthMode#API_ADMIN}; with nothing configured, callers on this machine ({@code loopbackCaller}).
     */
    public Verdict check(AuthMode mode, String credential, boolean loopbackCaller) {
        if (!mode.api()) {
            throw new IllegalArgumentException("not an API credentials mode: " + mode);
        }
        if (loopbackOnly()) {
            return loopbackCaller ? Verdict.ALLOWED : Verdict.NOT_LOOPBACK;
        }
        if (credential == null || credential.isEmpty()) {
            return Verdict.MISSING;
        }
        return mode == AuthMode.API_ADMIN ? role(credential, "admin").verdict() : publisher(credential).verdict();
    }

    private static String bearer(String authorization) {
        return authorization == null || !authorization.startsWith(BEARER) ? null : authorization.substring(BEARER.length()).trim();
    }

    /**
     * May this caller act as a publisher?
     *
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param caller        the caller's socket address
     */
    public Verdict check(String authorization, SocketAddress caller) {
        return publisher(authorization, caller).verdict();
    }

    /** Like {@link #check}, also saying who the allowed publisher is. */
    public Publisher publisher(String authorization, SocketAddress caller) {
        if (loopbackOnly()) {
            return loopback(caller) ? new Publisher(Verdict.ALLOWED, LOOPBACK) : new Publisher(Verdict.NOT_LOOPBACK, null);
        }
        String credential = bearer(authorization);
        return credential == null ? new Publisher(Verdict.MISSING, null) : publisher(credential);
    }

    private Publisher publisher(String credential) {
        byte[] presented = credential.getBytes(StandardCharsets.UTF_8);
        int known = -1;
        for (int i = 0; i < keys.size(); i++) {
            // every key is compared, in constant time, so the time taken tells nothing about which matched
            if (MessageDigest.isEqual(keys.get(i), presented)) {
                known = i;
            }
        }
        if (known >= 0) {
            return new Publisher(Verdict.ALLOWED, "api-key:" + (known + 1));
        }
        return role(new String(presented, StandardCharsets.UTF_8), "publisher");
    }

    private Publisher role(String token, String role) {
        if (tokens.isEmpty()) {
            return new Publisher(Verdict.INVALID, null);
        }
        try {
            Principal principal = tokens.get().verify(token);
            return principal.hasRole(role) ? new Publisher(Verdict.ALLOWED, principal.userId()) : new Publisher(Verdict.MISSING_ROLE, null);
        } catch (TokenRejectedException e) {
            return new Publisher(Verdict.INVALID, null);
        }
    }

    private static boolean loopback(SocketAddress caller) {
        return caller instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }

    /** What to tell a refused caller; never echoes what it sent. */
    public static String explain(Verdict verdict) {
        return switch (verdict) {
            case ALLOWED -> "allowed";
            case MISSING -> "this needs a credential: Authorization: Bearer <api key, or token with the role needed>";
            case INVALID -> "the credential is neither a configured API key nor a valid token";
            case MISSING_ROLE -> "the token lacks the role this needs";
            case NOT_LOOPBACK -> "no API key or JWK set is configured, so only loopback clients may do this";
        };
    }
}

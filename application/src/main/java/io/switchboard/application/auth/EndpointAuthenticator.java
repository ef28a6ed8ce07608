package io.switchboard.application.auth;

import io.switchboard.application.port.Principal;
import io.switchboard.application.port.AuthMode;
import io.switchboard.application.port.out.TokenVerifier;
import io.switchboard.domain.ErrorCode;

import java.util.Optional;

/** Applies an endpoint's auth mode to the token a client presented. */
public final class EndpointAuthenticator {

    private final Optional<TokenVerifier> verifier;
    private final String cookieName;

    /** @param verifier empty when no JWK set is configured: then every endpoint behaves as {@link AuthMode#NONE} */
    public EndpointAuthenticator(Optional<TokenVerifier> verifier, String cookieName) {
        this.verifier = verifier;
        this.cookieName = cookieName;
    }

    public boolean enabled() {
        return verifier.isPresent();
    }

    public String cookieName() {
        return cookieName;
    }

    /**
     * @return who the client is, or {@code null} for an anonymous client
     * @throws TokenRejectedException when the token is invalid, or missing where one is required
     */
    public Principal authenticate(AuthMode mode, String token) {
        if (mode == AuthMode.NONE || verifier.isEmpty()) {
            return null;
        }
        if (token == null || token.isBlank()) {
            if (mode == AuthMode.REQUIRED) {
                throw new TokenRejectedException(ErrorCode.AUTH_INVALID, "this endpoint needs a token: send Authorization: Bearer <jwt>, "
                        + "the token query parameter, or the " + cookieName + " cookie");
            }
            return null;
        }
        return verifier.get().verify(token);
    }

    /** A token verified outside a connection's opening (e.g. {@code refresh}); requires a verifier. */
    public Principal verify(String token) {
        return verifier.orElseThrow(() -> new TokenRejectedException(ErrorCode.AUTH_INVALID,
                "authentication is not configured on this hub")).verify(token);
    }

    /**
     * Finds the token in the places a client may put it, in this order: {@code Authorization: Bearer},
     * the {@code token} query parameter, the configured cookie.
     */
    public String findToken(String authorization, String queryToken, String cookieHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (queryToken != null && !queryToken.isBlank()) {
            return queryToken;
        }
        if (cookieHeader != null) {
            for (String cookie : cookieHeader.split(";")) {
                int eq = cookie.indexOf('=');
                if (eq > 0 && cookie.substring(0, eq).trim().equals(cookieName)) {
                    return cookie.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }
}

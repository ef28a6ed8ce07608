package io.switchboard.application.port;

/**
 * How a client proves who it is: the modes a client endpoint is configured with ({@code none},
 * {@code optional}, {@code required}), and the two the hub's own backend streams use, where the caller
 * shows API credentials as the HTTP API wants them.
 */
public enum AuthMode {
    /** Tokens are ignored; everyone is anonymous. */
    NONE,
    /** A token, if presented, must be valid; without one the client is anonymous. */
    OPTIONAL,
    /** A valid token is needed. */
    REQUIRED,
    /**
     * A publisher's credentials: a configured API key or a token with the role {@code publisher}; with
     * neither keys nor a JWK set configured, only callers on this machine ({@code /api/v1/commands}).
     */
    API_PUBLISHER,
    /**
     * An administrator's credentials: a token with the role {@code admin}; with neither keys nor a JWK
     * set configured, only callers on this machine ({@code /api/v1/audit/stream}).
     */
    API_ADMIN;

    /** Whether the caller shows API credentials rather than a client token. */
    public boolean api() {
        return this == API_PUBLISHER || this == API_ADMIN;
    }
}

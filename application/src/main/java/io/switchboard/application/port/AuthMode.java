package io.switchboard.application.port;

/** An endpoint's auth mode. */
public enum AuthMode {
    /** Tokens are ignored; everyone is anonymous. */
    NONE,
    /** A token, if presented, must be valid; without one the client is anonymous. */
    OPTIONAL,
    /** A valid token is needed. */
    REQUIRED
}

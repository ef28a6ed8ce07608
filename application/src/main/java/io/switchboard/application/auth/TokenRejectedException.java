package io.switchboard.application.auth;

import io.switchboard.domain.ErrorCode;

/** A token that does not authenticate anyone, and why (the message never contains the token). */
public final class TokenRejectedException extends RuntimeException {
    private final ErrorCode code;

    public TokenRejectedException(ErrorCode code, String reason) {
        super(reason);
        this.code = code;
    }

    /** {@link ErrorCode#AUTH_EXPIRED} or {@link ErrorCode#AUTH_INVALID}. */
    public ErrorCode code() {
        return code;
    }
}

package io.switchboard.application.port.out;

import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.TokenRejectedException;

/** Checks a bearer token (a JWT) and says who it speaks for. */
public interface TokenVerifier {

    /**
     * @throws TokenRejectedException with {@code AUTH_EXPIRED} or {@code AUTH_INVALID} and a reason
     *                                that never repeats the token
     */
    Principal verify(String token);
}

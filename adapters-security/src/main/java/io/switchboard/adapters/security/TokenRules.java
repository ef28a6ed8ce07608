package io.switchboard.adapters.security;

import java.time.Duration;
import java.util.Objects;

/**
 * What a token must satisfy besides its signature.
 *
 * @param issuer   required {@code iss}, or {@code null} to accept any
 * @param audience required member of {@code aud}, or {@code null} to accept any
 * @param skew     clock difference tolerated for {@code exp} and {@code nbf}
 */
public record TokenRules(String issuer, String audience, Duration skew) {
    public TokenRules {
        Objects.requireNonNull(skew, "skew");
    }
}

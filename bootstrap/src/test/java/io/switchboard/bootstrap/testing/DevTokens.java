package io.switchboard.bootstrap.testing;

import io.switchboard.adapters.security.SecurityAdapter;
import io.switchboard.adapters.security.TokenRules;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Tokens signed with the development HS256 key that the seed profiles and docs/examples/dev-auth.yaml
 * ship, as {@code bin/switchboard token} mints them.
 */
public final class DevTokens {
    /** The development JWK set; never for production. */
    public static final String JWKS = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"dev\",\"alg\":\"HS256\","
            + "\"k\":\"ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQtY2hhbmdlLW1lLXBsZWFzZSE\"}]}";

    private DevTokens() {
    }

    /** A token for {@code sub} valid for ten minutes. */
    public static String of(String sub) {
        return of(sub, List.of(), List.of(), Duration.ofMinutes(10));
    }

    /**
     * @param roles e.g. {@code admin}, {@code publisher}
     * @param rooms room patterns of the {@code rooms} claim ({@code project:*})
     * @param ttl   how long it is valid, from now
     */
    public static String of(String sub, List<String> roles, List<String> rooms, Duration ttl) {
        return SecurityAdapter.mint(JWKS, new TokenRules(null, null, Duration.ofSeconds(5)), sub, roles, rooms, ttl, Clock.systemUTC());
    }

    /** The {@code Authorization} header of a publisher (a backend) for the publish API. */
    public static String publisherBearer() {
        return "Bearer " + of("backend", List.of("publisher"), List.of(), Duration.ofMinutes(10));
    }
}

package io.switchboard.adapters.security;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.switchboard.application.port.out.TokenVerifier;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The security adapter's entry: a {@link TokenVerifier} from a JWK set, and development tokens signed with it. */
public final class SecurityAdapter {
    private SecurityAdapter() {
    }

    /**
     * @param jwks a JWK set: inline JSON ({@code {"keys":[...]}}), {@code classpath:NAME}, or a file path
     * @throws IllegalArgumentException when the JWK set cannot be read, saying why
     */
    public static TokenVerifier verifier(String jwks, TokenRules rules, Clock clock) {
        return new JwtTokenVerifier(keys(jwks), rules, clock);
    }

    /** Signs a token with the first key of the set (a development convenience: {@code bin/switchboard token}). */
    public static String mint(String jwks, TokenRules rules, String subject, List<String> roles, List<String> rooms,
                              Duration ttl, Clock clock) {
        JwkKeys keys = keys(jwks);
        Jwk key = keys.keys().getFirst();
        Instant now = clock.instant();
        Jwt.Builder jwt = Jwt.builder()
                .algorithm(key.algorithm())
                .subject(subject)
                .issueTime(now)
                .expirationTime(now.plus(ttl))
                .addPayloadClaim("roles", Json.createArrayBuilder(roles).build())
                .addPayloadClaim("rooms", Json.createArrayBuilder(rooms).build());
        if (key.keyId() != null) {
            jwt.keyId(key.keyId());
        }
        if (rules.issuer() != null) {
            jwt.issuer(rules.issuer());
        }
        if (rules.audience() != null) {
            jwt.addAudience(rules.audience());
        }
        return SignedJwt.sign(jwt.build(), key).tokenContent();
    }

    static JwkKeys keys(String jwks) {
        String json;
        if (jwks.trim().startsWith("{")) {
            json = jwks;
        } else if (jwks.startsWith("classpath:")) {
            String name = jwks.substring("classpath:".length());
            try (InputStream in = SecurityAdapter.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalArgumentException("no classpath resource " + name);
                }
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read classpath resource " + name + ": " + e.getMessage());
            }
        } else {
            Path file = Path.of(jwks.startsWith("file:") ? jwks.substring("file:".length()) : jwks);
            try {
                json = Files.readString(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read JWK set file " + file + ": " + e.getMessage());
            }
        }
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            JsonObject set = reader.readObject();
            JwkKeys keys = JwkKeys.create(set);
            if (keys.keys().isEmpty()) {
                throw new IllegalArgumentException("the JWK set has no keys");
            }
            return keys;
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("the JWK set is not valid JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("the JWK set cannot be used: " + e.getMessage());
        }
    }
}

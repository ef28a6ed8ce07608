package io.switchboard.adapters.security;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.port.out.TokenVerifier;
import io.switchboard.domain.ErrorCode;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Verifies JWTs with Helidon's JWT support (signature against the configured JWK set; {@code alg: none}
 * and key/algorithm confusion are refused there), then applies the hub's rules itself, so each
 * refusal has a precise reason: {@code exp} required, {@code nbf}, issuer and audience, with a skew.
 */
final class JwtTokenVerifier implements TokenVerifier {
    /** Longer tokens are refused before any parsing. */
    static final int MAX_TOKEN_CHARS = 8192;

    /** The longest {@code info} claim kept (as JSON text): presence lists it with every member. */
    private static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");
    /** 9999-12-31T23:59:59Z: a time claim beyond it is nonsense, and beyond {@link Instant}'s range soon after. */
    private static final BigDecimal LATEST_SECONDS = BigDecimal.valueOf(253_402_300_799L);

    private final JwkKeys keys;
    private final TokenRules rules;
    private final Clock clock;

    JwtTokenVerifier(JwkKeys keys, TokenRules rules, Clock clock) {
        this.keys = keys;
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public Principal verify(String token) {
        if (token == null || token.isBlank()) {
            throw invalid("no token was presented");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw invalid("the token is too large (over " + MAX_TOKEN_CHARS + " characters)");
        }
        if (token.chars().filter(c -> c == '.').count() != 2) {
            throw invalid("the token is not a JWT (it needs three dot-separated parts)");
        }
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token);
        } catch (RuntimeException e) {
            throw invalid("the token is not a well-formed JWT");
        }
        if (!signed.verifySignature(keys).isValid()) {
            throw invalid("the token's signature is not valid, or it was signed with an unknown key or algorithm");
        }
        checkTimeClaims(token);
        Jwt jwt;
        try {
            jwt = signed.getJwt();
        } catch (RuntimeException e) {
            // Helidon reads the registered claims (iss, email_verified, locale, ...) by their types and throws on others
            throw invalid("the token has a claim of the wrong type");
        }
        Instant now = clock.instant();
        Duration skew = rules.skew();
        Instant expires = jwt.expirationTime()
                .orElseThrow(() -> invalid("the token has no exp claim; tokens must expire"));
        if (now.isAfter(expires.plus(skew))) {
            throw new TokenRejectedException(ErrorCode.AUTH_EXPIRED, "the token has expired");
        }
        Optional<Instant> notBefore = jwt.notBefore();
        if (notBefore.isPresent() && now.plus(skew).isBefore(notBefore.get())) {
            throw invalid("the token is not valid yet (nbf)");
        }
        if (rules.issuer() != null && !rules.issuer().equals(jwt.issuer().orElse(null))) {
            throw invalid("the token's issuer (iss) is not accepted");
        }
        if (rules.audience() != null && !jwt.audience().orElse(List.of()).contains(rules.audience())) {
            throw invalid("the token's audience (aud) is not accepted");
        }
        String subject = jwt.subject().filter(s -> !s.isBlank())
                .orElseThrow(() -> invalid("the token has no sub claim"));
        return new Principal(subject, new LinkedHashSet<>(strings(jwt.payloadClaim("roles"))),
                strings(jwt.payloadClaim("rooms")), expires, info(jwt.payloadClaim("info")));
    }

    /** The {@code info} claim as JSON text; none when absent, {@code null}, or longer than {@link Principal#MAX_INFO} characters. */
    private static String info(Optional<JsonValue> claim) {
        return claim.filter(value -> value != JsonValue.NULL).map(JsonValue::toString)
                .filter(text -> text.length() <= Principal.MAX_INFO).orElse(null);
    }

    /**
     * {@code exp}, {@code nbf} and {@code iat} must be NumericDates (RFC 7519: a number of seconds since
     * 1970): Helidon reads them as numbers, and fails on a string or {@code null} with an exception
     * that would otherwise become a 500.
     */
    private static void checkTimeClaims(String token) {
        JsonObject claims;
        try {
            String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
            claims = Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)))
                    .readObject();
        } catch (RuntimeException e) {
            throw invalid("the token is not a well-formed JWT");
        }
        for (String claim : TIME_CLAIMS) {
            JsonValue value = claims.get(claim);
            if (value == null) {
                continue;
            }
            if (!(value instanceof JsonNumber seconds)) {
                throw invalid("the token's " + claim + " claim must be a number of seconds since 1970, not " + kind(value));
            }
            if (seconds.bigDecimalValue().abs().compareTo(LATEST_SECONDS) > 0) {
                throw invalid("the token's " + claim + " claim is out of range (beyond the year 9999)");
            }
        }
    }

    private static String kind(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> "a string";
            case TRUE, FALSE -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getValueType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** A claim holding a list of strings, or one string of space- or comma-separated values. */
    private static List<String> strings(Optional<JsonValue> claim) {
        if (claim.isEmpty()) {
            return List.of();
        }
        JsonValue value = claim.get();
        if (value instanceof JsonArray array) {
            List<String> values = new ArrayList<>();
            for (JsonValue element : array) {
                if (element instanceof JsonString string) {
                    values.add(string.getString());
                }
            }
            return values;
        }
        if (value instanceof JsonString string) {
            return Arrays.stream(string.getString().split("[ ,]+")).filter(s -> !s.isEmpty()).toList();
        }
        return List.of();
    }

    private static TokenRejectedException invalid(String reason) {
        return new TokenRejectedException(ErrorCode.AUTH_INVALID, reason);
    }
}

package io.switchboard.adapters.security;

import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.port.out.TokenVerifier;
import io.switchboard.domain.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad token is refused with a precise reason that never repeats the token. */
class JwtTokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] SECRET = "a-development-secret-of-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static KeyPair rsa;
    private static String jwks;
    private static TokenVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
        jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"dev\",\"alg\":\"HS256\",\"k\":\"" + B64.encodeToString(SECRET) + "\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"rsa1\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\"" + unsigned(pub.getModulus())
                + "\",\"e\":\"" + unsigned(pub.getPublicExponent()) + "\"}]}";
        verifier = SecurityAdapter.verifier(jwks, new TokenRules("https://issuer.example", "switchboard", Duration.ofSeconds(5)), CLOCK);
    }

    @Test
    void aGoodHs256TokenGivesItsSubjectRolesAndRooms() {
        Principal principal = verifier.verify(hs256("dev", claims("alice", NOW.plusSeconds(60), null)));
        assertEquals("alice", principal.userId());
        assertEquals(Set.of("admin", "publisher"), principal.roles());
        assertEquals(List.of("project:*"), principal.rooms());
        assertTrue(principal.mayAccess("project:42"));
        assertFalse(principal.mayAccess("other:1"));
        assertEquals(NOW.plusSeconds(60), principal.expiresAt());
    }

    @Test
    void aGoodRs256TokenIsAccepted() throws Exception {
        assertEquals("bob", verifier.verify(rs256("rsa1", claims("bob", NOW.plusSeconds(60), null))).userId());
    }

    @Test
    void tokensMintedForDevelopmentAreAccepted() {
        String token = SecurityAdapter.mint(jwks, new TokenRules("https://issuer.example", "switchboard", Duration.ofSeconds(5)),
                "carol", List.of("admin"), List.of("project:*"), Duration.ofHours(1), CLOCK);
        Principal principal = verifier.verify(token);
        assertEquals("carol", principal.userId());
        assertEquals(Set.of("admin"), principal.roles());
    }

    @Test
    void expiryHonoursTheSkewAndIsReportedAsExpired() {
        assertEquals("alice", verifier.verify(hs256("dev", claims("alice", NOW.minusSeconds(4), null))).userId());
        refused(ErrorCode.AUTH_EXPIRED, "expired", hs256("dev", claims("alice", NOW.minusSeconds(6), null)));
    }

    @Test
    void badTokensAreRefusedWithAReason() throws Exception {
        String good = claims("alice", NOW.plusSeconds(60), null);
        refused(ErrorCode.AUTH_INVALID, "no token", "");
        refused(ErrorCode.AUTH_INVALID, "signature", hs256WithSecret("dev", good, "another-secret-of-32-bytes-long!!".getBytes(StandardCharsets.UTF_8)));
        refused(ErrorCode.AUTH_INVALID, "signature", unsignedToken("{\"alg\":\"none\",\"kid\":\"dev\"}", good));
        refused(ErrorCode.AUTH_INVALID, "signature", hs256WithSecret("rsa1", good, rsa.getPublic().getEncoded()));
        refused(ErrorCode.AUTH_INVALID, "signature", hs256("nobody", good));
        refused(ErrorCode.AUTH_INVALID, "exp", hs256("dev", "{\"sub\":\"alice\",\"iss\":\"https://issuer.example\",\"aud\":\"switchboard\"}"));
        refused(ErrorCode.AUTH_INVALID, "not valid yet", hs256("dev", claims("alice", NOW.plusSeconds(600), NOW.plusSeconds(60))));
        refused(ErrorCode.AUTH_INVALID, "issuer", hs256("dev", good.replace("https://issuer.example", "https://evil.example")));
        refused(ErrorCode.AUTH_INVALID, "audience", hs256("dev", good.replace("\"switchboard\"", "\"someone-else\"")));
        refused(ErrorCode.AUTH_INVALID, "three dot-separated parts", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0");
        refused(ErrorCode.AUTH_INVALID, "well-formed", "!!!.@@@.###");
        refused(ErrorCode.AUTH_INVALID, "too large", hs256("dev", good.replace("\"sub\"", "\"padding\":\"" + "x".repeat(20_000) + "\",\"sub\"")));
        refused(ErrorCode.AUTH_INVALID, "sub", hs256("dev", good.replace("\"sub\":\"alice\",", "")));
    }

    /** SPEC 15: a validly signed token whose time claims are not numbers is refused, never a 500. */
    @Test
    void timeClaimsOfTheWrongTypeAreRefusedNamingTheClaim() {
        String good = claims("alice", NOW.plusSeconds(60), null);
        String exp = "\"exp\":" + NOW.plusSeconds(60).getEpochSecond();
        refused(ErrorCode.AUTH_INVALID, "exp claim must be a number of seconds since 1970, not a string",
                hs256("dev", good.replace(exp, "\"exp\":\"tomorrow\"")));
        refused(ErrorCode.AUTH_INVALID, "exp claim must be a number of seconds since 1970, not null", hs256("dev", good.replace(exp, "\"exp\":null")));
        refused(ErrorCode.AUTH_INVALID, "nbf claim must be a number of seconds since 1970, not a string",
                hs256("dev", good.replace(exp, exp + ",\"nbf\":\"" + NOW + "\"")));
        refused(ErrorCode.AUTH_INVALID, "nbf claim must be a number of seconds since 1970, not null", hs256("dev", good.replace(exp, exp + ",\"nbf\":null")));
        refused(ErrorCode.AUTH_INVALID, "iat claim must be a number of seconds since 1970, not a boolean",
                hs256("dev", good.replace(exp, exp + ",\"iat\":true")));
        refused(ErrorCode.AUTH_INVALID, "exp claim is out of range", hs256("dev", good.replace(exp, "\"exp\":1e30")));
        refused(ErrorCode.AUTH_INVALID, "claim of the wrong type", hs256("dev", good.replace(exp, exp + ",\"email_verified\":\"yes\"")));
    }

    private static void refused(ErrorCode code, String reasonPart, String token) {
        TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> verifier.verify(token), reasonPart);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(reasonPart), "reason '" + e.getMessage() + "' should mention " + reasonPart);
        if (token.length() > 20) {
            assertFalse(e.getMessage().contains(token.substring(token.length() - 20)), "the reason never repeats the token");
        }
    }

    private static String claims(String sub, Instant exp, Instant nbf) {
        return "{\"sub\":\"" + sub + "\",\"iss\":\"https://issuer.example\",\"aud\":\"switchboard\",\"exp\":" + exp.getEpochSecond()
                + (nbf == null ? "" : ",\"nbf\":" + nbf.getEpochSecond())
                + ",\"roles\":[\"admin\",\"publisher\"],\"rooms\":[\"project:*\"]}";
    }

    private static String hs256(String kid, String claims) throws RuntimeException {
        return hs256WithSecret(kid, claims, SECRET);
    }

    private static String hs256WithSecret(String kid, String claims, byte[] secret) {
        try {
            String signingInput = part("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + part(claims);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(String kid, String claims) throws Exception {
        String signingInput = part("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + part(claims);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(rsa.getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(signature.sign());
    }

    private static String unsignedToken(String header, String claims) {
        return part(header) + "." + part(claims) + ".";
    }

    private static String part(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }
}

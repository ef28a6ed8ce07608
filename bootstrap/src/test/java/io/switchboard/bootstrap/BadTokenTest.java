package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad token of the security issue's list, end to end on a hub whose endpoint requires a token:
 * error AUTH_* with a reason, close 4001, no token echoed, and a joined bystander undisturbed.
 */
class BadTokenTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final byte[] SECRET = "bad-token-test-secret-of-32-bytes".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static KeyPair rsa;
    private static TestHub hub;
    private static JsonWebSocket bystander;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
        String jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"dev\",\"alg\":\"HS256\",\"k\":\"" + B64.encodeToString(SECRET) + "\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"rsa1\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\"" + unsigned(pub.getModulus())
                + "\",\"e\":\"" + unsigned(pub.getPublicExponent()) + "\"}]}";
        hub = TestHub.start(Map.of("hub.auth.jwks", jwks, "hub.auth.issuer", "https://issuer.example",
                "hub.auth.audience", "switchboard", "hub.websocket.auth", "required"));
        bystander = JsonWebSocket.connect(hub.ws("?token=" + hs256("dev", claims(Instant.now().plusSeconds(600), null), SECRET)));
        bystander.nextOfType("connected", WAIT);
        bystander.join("demo:bystander");
        bystander.nextOfType("joined", WAIT);
    }

    @AfterAll
    static void stop() {
        bystander.close();
        hub.close();
    }

    static Stream<Object[]> badTokens() {
        Instant now = Instant.now();
        String good = claims(now.plusSeconds(600), null);
        return Stream.of(
                new Object[] {"no token", null, "AUTH_INVALID", "needs a token"},
                new Object[] {"bad signature", hs256("dev", good, "another-secret-that-is-32-bytes!!".getBytes(StandardCharsets.UTF_8)), "AUTH_INVALID", "signature"},
                new Object[] {"alg none", part("{\"alg\":\"none\",\"kid\":\"dev\"}") + "." + part(good) + ".", "AUTH_INVALID", "signature"},
                new Object[] {"HS256 signed with the RSA public key", hs256("rsa1", good, rsa.getPublic().getEncoded()), "AUTH_INVALID", "signature"},
                new Object[] {"unknown kid", hs256("nobody", good, SECRET), "AUTH_INVALID", "signature"},
                new Object[] {"no exp", hs256("dev", good.replaceAll(",\"exp\":\\d+", ""), SECRET), "AUTH_INVALID", "exp"},
                new Object[] {"exp a string", hs256("dev", good.replaceAll("\"exp\":\\d+", "\"exp\":\"tomorrow\""), SECRET), "AUTH_INVALID",
                        "exp claim must be a number"},
                new Object[] {"exp null", hs256("dev", good.replaceAll("\"exp\":\\d+", "\"exp\":null"), SECRET), "AUTH_INVALID",
                        "exp claim must be a number"},
                new Object[] {"nbf a string", hs256("dev", good.replace("\"exp\"", "\"nbf\":\"now\",\"exp\""), SECRET), "AUTH_INVALID",
                        "nbf claim must be a number"},
                new Object[] {"nbf null", hs256("dev", good.replace("\"exp\"", "\"nbf\":null,\"exp\""), SECRET), "AUTH_INVALID",
                        "nbf claim must be a number"},
                new Object[] {"expired beyond skew", hs256("dev", claims(now.minusSeconds(30), null), SECRET), "AUTH_EXPIRED", "expired"},
                new Object[] {"nbf in the future", hs256("dev", claims(now.plusSeconds(600), now.plusSeconds(300)), SECRET), "AUTH_INVALID", "not valid yet"},
                new Object[] {"wrong iss", hs256("dev", good.replace("https://issuer.example", "https://evil.example"), SECRET), "AUTH_INVALID", "issuer"},
                new Object[] {"wrong aud", hs256("dev", good.replace("\"switchboard\"", "\"elsewhere\""), SECRET), "AUTH_INVALID", "audience"},
                new Object[] {"two segments", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0", "AUTH_INVALID", "three dot-separated parts"},
                new Object[] {"bad base64", "!!!.@@@.###", "AUTH_INVALID", "well-formed"},
                new Object[] {"a 10 KB token", hs256("dev", good.replace("\"sub\"", "\"pad\":\"" + "x".repeat(10_000) + "\",\"sub\""), SECRET),
                        "AUTH_INVALID", "too large"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenGetsAReasonAndClose4001AndDisturbsNoOne(String what, String token, String code, String reasonPart) throws Exception {
        Map<String, String> headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
        try (RawWebSocket client = RawWebSocket.connect(hub.ws(), headers)) {
            JsonNode error = JsonWebSocket.json().readTree(client.readText(WAIT));
            assertEquals("error", error.path("type").asText(), what);
            assertEquals(code, error.path("data").path("code").asText(), what);
            assertTrue(error.path("data").path("message").asText().contains(reasonPart), what + ": " + error);
            RawWebSocket.Frame close = client.awaitClose(WAIT);
            assertEquals(4001, close.closeCode(), what);
            if (token != null && token.length() > 40) {
                String piece = token.substring(token.length() - 24);
                assertFalse(error.toString().contains(piece) || close.closeReason().contains(piece), what + ": token echoed");
            }
        }
        var published = hub.post("/api/v1/events", "{\"room\":\"demo:bystander\",\"type\":\"still\",\"data\":\"" + what + "\"}",
                Map.of("Authorization", "Bearer " + hs256("dev", claims(Instant.now().plusSeconds(600), null)
                        .replace("\"sub\"", "\"roles\":[\"publisher\"],\"sub\""), SECRET)));
        assertEquals(202, published.statusCode(), published.body());
        assertEquals(what, bystander.nextEvents(1, WAIT).getFirst().path("data").asText(), "the bystander is undisturbed");
    }

    /** Beyond the server's 16 KiB header limit, the request is refused before any token handling. */
    @org.junit.jupiter.api.Test
    void aTwentyKilobyteTokenIsRefusedWith400BeforeTheUpgrade() throws Exception {
        String token = hs256("dev", claims(Instant.now().plusSeconds(600), null).replace("\"sub\"", "\"pad\":\"" + "x".repeat(20_000) + "\",\"sub\""), SECRET);
        RawWebSocket.HandshakeRefused refused = org.junit.jupiter.api.Assertions.assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(hub.ws(), Map.of("Authorization", "Bearer " + token)));
        assertEquals(400, refused.status());
        JsonNode body = JsonWebSocket.json().readTree(refused.body());
        assertEquals("MESSAGE_INVALID", body.path("code").asText());
        assertFalse(refused.body().contains(token.substring(token.length() - 24)), "token echoed");
    }

    private static String claims(Instant exp, Instant nbf) {
        return "{\"sub\":\"alice\",\"iss\":\"https://issuer.example\",\"aud\":\"switchboard\",\"exp\":" + exp.getEpochSecond()
                + (nbf == null ? "" : ",\"nbf\":" + nbf.getEpochSecond()) + "}";
    }

    private static String hs256(String kid, String claims, byte[] secret) {
        try {
            String signingInput = part("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + part(claims);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return B64.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }
}

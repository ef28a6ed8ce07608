package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.DevTokens;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.LogWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC 15, HTTP input: what a hostile or broken client sends to the JSON routes is answered with a
 * 4xx and a JSON problem naming what is wrong, never a 500 nor an exception's text; nothing of it is
 * stored; no stack trace is logged; the body is capped before it is parsed.
 */
class HostileHttpInputTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static LogWatch log;
    private static TestHub hub;
    private static String publisher;

    @BeforeAll
    static void start() {
        log = LogWatch.everything();
        hub = TestHub.start(Map.of("hub.auth.jwks", DevTokens.JWKS));
        publisher = DevTokens.publisherBearer();
    }

    @AfterAll
    static void stop() {
        hub.close();
        log.close();
    }

    @AfterEach
    void noStackTraceWasLogged() {
        assertEquals(List.of(), log.thrown().stream().map(r -> r.getLoggerName() + ": " + r.getThrown()).toList(), "no stack trace logged");
    }

    static Stream<Arguments> badEvents() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        return Stream.of(
                Arguments.of("JSON nested 1,000 levels", "{\"room\":\"%s\",\"type\":\"t\",\"data\":" + deep + "}",
                        "the JSON is nested deeper than 64 levels (line 1, column "),
                Arguments.of("JSON nested 65 levels", "{\"room\":\"%s\",\"type\":\"t\",\"data\":" + "[".repeat(64) + "]".repeat(64) + "}",
                        "nested deeper than 64 levels"),
                Arguments.of("a 5,000-digit number", "{\"room\":\"%s\",\"type\":\"t\",\"data\":" + "9".repeat(5000) + "}",
                        "the number 999999999999…(5000 characters) (line 1, column "),
                Arguments.of("data 1e309", "{\"room\":\"%s\",\"type\":\"t\",\"data\":1e309}",
                        "is beyond the range of a 64-bit float (IEEE 754 double"),
                Arguments.of("a number beyond range inside an array", "{\"room\":\"%s\",\"type\":\"t\",\"data\":{\"v\":[1,-2.5E400]}}",
                        "the number -2.5E400 (line 1, column "),
                Arguments.of("data 1e-400", "{\"room\":\"%s\",\"type\":\"t\",\"data\":1e-400}", "is too close to zero for a 64-bit float"),
                Arguments.of("a batch holding data 1e309", "[{\"room\":\"%s\",\"type\":\"t\",\"data\":1},{\"room\":\"%1$s\",\"type\":\"t\",\"data\":1e309}]",
                        "beyond the range"),
                Arguments.of("two JSON values", "{\"room\":\"%s\",\"type\":\"t\"} {}", "the body holds more than one JSON value"),
                Arguments.of("not JSON", "{\"room\":\"%s\",\"type\":", "the body is not valid JSON (line 1, column "),
                Arguments.of("white space only", "  \n ", "the body is empty; send an event object or an array of events"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void aBadEventIsRefusedWith400NamingTheProblemAndNothingIsStored(String what, String body, String messagePart) throws Exception {
        String room = room();
        HttpResponse<String> response = hub.post("/api/v1/events", body.formatted(room), Map.of("Authorization", publisher));
        assertProblem(response, 400, "MESSAGE_INVALID", messagePart);
        assertNothingStored(room);
    }

    @Test
    void sixtyFourLevelsArePublishedAsSent() throws Exception {
        String room = room();
        String data = "[".repeat(62) + "1.5e300" + "]".repeat(62); // with the batch and the event: 64 levels
        try (JsonWebSocket client = subscriber(room)) {
            HttpResponse<String> response = hub.post("/api/v1/events", "[{\"room\":\"" + room + "\",\"type\":\"t\",\"data\":" + data + "}]",
                    Map.of("Authorization", publisher));
            assertEquals(202, response.statusCode(), response.body());
            JsonNode event = client.nextEvents(1, WAIT).getFirst();
            assertEquals(data, event.path("data").toString().replace("1.5E300", "1.5e300"));
        }
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"text/plain; application/json", "application/json;", "application/json; charset", "json", "text/plain"})
    void aMalformedOrForeignContentTypeIsRefusedWith415(String contentType) throws Exception {
        String room = room();
        HttpResponse<String> response = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/events")).timeout(WAIT)
                .header("Content-Type", contentType).header("Authorization", publisher)
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room + "\",\"type\":\"t\"}")).build());
        assertProblem(response, 415, "MESSAGE_INVALID", contentType.equals("text/plain") ? "send the body as JSON with Content-Type: application/json"
                : "the Content-Type header is not a valid media type");
        assertNothingStored(room);
    }

    @Test
    void jsonWithACharsetIsAccepted() {
        HttpResponse<String> response = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/events")).timeout(WAIT)
                .header("Content-Type", "Application/JSON; charset=utf-8").header("Authorization", publisher)
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room() + "\",\"type\":\"t\"}")).build());
        assertEquals(202, response.statusCode(), response.body());
    }

    static Stream<Arguments> badTimeClaims() {
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        return Stream.of(
                Arguments.of("exp a string", "\"exp\":\"" + exp + "\""),
                Arguments.of("exp null", "\"exp\":null"),
                Arguments.of("nbf a string", "\"exp\":" + exp + ",\"nbf\":\"yesterday\""),
                Arguments.of("nbf null", "\"exp\":" + exp + ",\"nbf\":null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTimeClaims")
    void aSignedTokenWithTimeClaimsOfTheWrongTypeGets401(String what, String timeClaims) throws Exception {
        String room = room();
        String token = devSigned("{\"sub\":\"backend\",\"roles\":[\"publisher\"]," + timeClaims + "}");
        HttpResponse<String> response = hub.post("/api/v1/events", "{\"room\":\"" + room + "\",\"type\":\"t\"}",
                Map.of("Authorization", "Bearer " + token));
        assertProblem(response, 401, "AUTH_INVALID", "credential");
        assertNothingStored(room);
    }

    @Test
    void aBodyBeyondThePayloadLimitPlusTheEnvelopeGets413() throws Exception {
        String room = room();
        String data = "\"" + "x".repeat(64 * 1024 + 16 * 1024) + "\"";
        HttpResponse<String> response = hub.post("/api/v1/events", "{\"room\":\"" + room + "\",\"type\":\"t\",\"data\":" + data + "}",
                Map.of("Authorization", publisher));
        assertProblem(response, 413, "MESSAGE_TOO_LARGE", "the body is larger than 81920 bytes, the limit for one event (data up to 65536 bytes)");
        assertNothingStored(room);
    }

    @Test
    void aBatchHasALimitOfItsOwn() throws Exception {
        try (TestHub small = TestHub.start(Map.of("hub.publish.max-batch-bytes", "100000"))) {
            String event = "{\"room\":\"batch:1\",\"type\":\"t\",\"data\":\"" + "x".repeat(30_000) + "\"}";
            assertEquals(202, small.publish("[" + String.join(",", java.util.Collections.nCopies(3, event)) + "]").statusCode(),
                    "90 KB in three events: more than one event may have");
            assertProblem(small.publish("{\"room\":\"batch:1\",\"type\":\"t\",\"data\":\"" + "x".repeat(90_000) + "\"}"),
                    413, "MESSAGE_TOO_LARGE", "the body is larger than 81920 bytes, the limit for one event (data up to 65536 bytes)");
            assertProblem(small.publish("[" + String.join(",", java.util.Collections.nCopies(5, event)) + "]"),
                    413, "MESSAGE_TOO_LARGE", "the body is larger than 100000 bytes, the limit for an array (a batch)");
        }
    }

    /** The body is never read: the answer comes while the client has sent 10 of the 32 MiB it announced. */
    @Test
    void aDeclaredThirtyTwoMebibyteBodyIsRefusedBeforeItIsRead() throws Exception {
        String room = room();
        String answer = rawPost("Content-Length: " + 32 * 1024 * 1024, out -> out.write(("{\"room\":\"" + room + "\"").getBytes(StandardCharsets.UTF_8)));
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"code\":\"MESSAGE_TOO_LARGE\""), answer);
        assertNothingStored(room);
    }

    /** Chunked, so no length is declared: the refusal comes once the limit is passed, with no end of the body in sight. */
    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
        String room = room();
        String answer = rawPost("Transfer-Encoding: chunked", out -> {
            chunk(out, "{\"room\":\"" + room + "\",\"type\":\"t\",\"data\":\"");
            for (int i = 0; i < 6; i++) {
                chunk(out, "x".repeat(16 * 1024)); // 96 KiB of data, and no end: 80 KiB is the limit
            }
        });
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("the limit for one event"), answer);
        assertNothingStored(room);
    }

    @Test
    void domainEventsAreHeldToTheSameRules() throws Exception {
        String envelope = "{\"eventType\":\"OrderPlaced\",\"aggregateType\":\"order\",\"aggregateId\":\"1\",\"payload\":%s}";
        assertProblem(hub.post("/api/v1/domain-events", envelope.formatted("{\"total\":1e309}"), Map.of("Authorization", publisher)),
                400, "MESSAGE_INVALID", "the number 1e309");
        assertProblem(hub.post("/api/v1/domain-events", envelope.formatted("[".repeat(100) + "]".repeat(100)), Map.of("Authorization", publisher)),
                400, "MESSAGE_INVALID", "nested deeper than 64 levels");
        assertProblem(TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/domain-events")).timeout(WAIT)
                        .header("Content-Type", "text/plain; application/json").header("Authorization", publisher)
                        .POST(HttpRequest.BodyPublishers.ofString(envelope.formatted("{}"))).build()),
                415, "MESSAGE_INVALID", "not a valid media type");
    }

    @Test
    void aStateDocumentIsHeldToTheSameRulesAndNotStored() throws Exception {
        String room = room();
        for (String[] bad : new String[][] {{"{\"total\":1e309}", "the number 1e309"}, {"[".repeat(70) + "]".repeat(70), "nested deeper than 64"},
                {"{\"a\":1} {\"b\":2}", "more than one JSON value"}, {"", "the body is empty; send the state document"}}) {
            HttpResponse<String> response = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/" + room + "/state")).timeout(WAIT)
                    .header("Authorization", publisher).PUT(HttpRequest.BodyPublishers.ofString(bad[0])).build());
            assertProblem(response, 400, "MESSAGE_INVALID", bad[1]);
        }
        HttpResponse<String> malformedType = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/" + room + "/state")).timeout(WAIT)
                .header("Authorization", publisher).header("Content-Type", "text/plain; application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertProblem(malformedType, 415, "MESSAGE_INVALID", "not a valid media type");
        HttpResponse<String> stored = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/" + room + "/state")).timeout(WAIT)
                .header("Authorization", publisher).GET().build());
        assertEquals(404, stored.statusCode(), "no state document: " + stored.body());
    }

    @Test
    void aCommandIsHeldToTheSameRules() throws Exception {
        String path = "/api/v1/rooms/" + room() + "/commands";
        assertProblem(hub.post(path, "{\"connectionId\":\"c\",\"name\":\"n\",\"data\":" + "[".repeat(80) + "]".repeat(80) + "}", Map.of()),
                400, "MESSAGE_INVALID", "nested deeper than 64 levels");
        assertProblem(hub.post(path, "{\"connectionId\":\"c\",\"name\":\"n\",\"data\":1e400}", Map.of()), 400, "MESSAGE_INVALID", "beyond the range");
        assertProblem(TestHub.send(HttpRequest.newBuilder(hub.http(path)).timeout(WAIT).header("Content-Type", "application/json; x")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build()),
                415, "MESSAGE_INVALID", "not a valid media type");
    }

    /** SPEC 15: a refused publish is logged once, with its reason; a flood of them is not (one line a second). */
    @Test
    void aRejectedPublishIsLoggedWithItsReasonAndAFloodIsNot() throws Exception {
        try (LogWatch rejections = LogWatch.of("io.switchboard.adapters.http.RejectedPublishes"); TestHub fresh = TestHub.start()) {
            HttpResponse<String> refused = fresh.publish("{\"room\":\"log:1\",\"type\":\"t\",\"data\":1e309}");
            assertEquals(400, refused.statusCode());
            assertEquals(1, rejections.lines().size(), rejections.lines().toString());
            assertTrue(rejections.lines().getFirst().matches("publish rejected ip=127\\.0\\.0\\.1 path=/api/v1/events status=400: "
                    + "the number 1e309 .*is beyond the range of a 64-bit float.*"), rejections.lines().getFirst());
            for (int i = 0; i < 20; i++) {
                fresh.publish("{\"room\":\"log:1\",\"colour\":\"red\"}");
            }
            assertTrue(rejections.lines().size() <= 2, "at most one line a second: " + rejections.lines());
            Thread.sleep(1100);
            assertEquals(415, TestHub.send(HttpRequest.newBuilder(fresh.http("/api/v1/events")).header("Content-Type", "text/plain; x")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode());
            String last = rejections.lines().getLast();
            assertTrue(last.contains("status=415: the Content-Type header is not a valid media type")
                    && last.matches(".* \\(and \\d+ more since the last such line\\)"), rejections.lines().toString());
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code, String messagePart) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), response.body());
        JsonNode problem = JsonWebSocket.json().readTree(response.body());
        assertEquals(code, problem.path("code").asText(), response.body());
        assertTrue(problem.path("message").asText().contains(messagePart), "message should name the problem (" + messagePart + "): " + response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("java."), "no exception's text: " + response.body());
    }

    /** A client joining the room hears the position of a room nobody has published to: it has no event. */
    private static void assertNothingStored(String room) throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws("?token=" + DevTokens.of("reader")))) {
            client.join(room());
            String untouched = client.nextOfType("joined", WAIT).path("data").path("lastId").asText();
            client.join(room);
            JsonNode joined = client.nextOfType("joined", WAIT);
            assertEquals(untouched, joined.path("data").path("lastId").asText(), "nothing stored in " + room + ": " + joined);
        }
    }

    private static JsonWebSocket subscriber(String room) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws("?token=" + DevTokens.of("reader")));
        client.join(room);
        client.nextOfType("joined", WAIT);
        return client;
    }

    private static String room() {
        return "hostile:" + ROOMS.incrementAndGet();
    }

    interface RawBody {
        void writeTo(OutputStream out) throws Exception;
    }

    /** A publish over a socket of its own: the head with {@code framing}, then what {@code body} writes; the answer. */
    private static String rawPost(String framing, RawBody body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", hub.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: " + publisher
                    + "\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeTo(out);
            out.flush();
            return readResponse(socket.getInputStream());
        }
    }

    private static void chunk(OutputStream out, String data) throws Exception {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** The status line, headers and (by its Content-Length) body of one response. */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            seen.write(b);
            String text = seen.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
                int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
                return text + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    /** A token signed with the development key, whatever its claims. */
    private static String devSigned(String claims) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"dev\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode("ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQtY2hhbmdlLW1lLXBsZWFzZSE"), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.switchboard.adapters.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.application.port.out.HookCall;
import io.switchboard.application.port.out.HookReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP hook client against a real HTTP server on a free port: the question it sends and every kind of answer. */
class HttpBackendHooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<String> asked = new AtomicReference<>();
    private final AtomicReference<Handler> handler = new AtomicReference<>();
    private final HttpBackendHooks hooks = new HttpBackendHooks();
    private HttpServer server;

    @FunctionalInterface
    private interface Handler {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                asked.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                handler.get().answer(exchange);
            } catch (IOException | InterruptedException e) {
                // the client gave up
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void theQuestionCarriesWhatTheHubKnowsAsJson() throws Exception {
        answer(200, "{\"allow\":true}");
        HookCall call = new HookCall(url(), Duration.ofSeconds(2), "/ws/projects/{project_id}", "/ws/projects/p1",
                Map.of("project_id", "p1"), Map.of("authorization", "Bearer t"),
                HookCall.claims("alice", List.of("reviewer"), List.of(), 1_900_000_000L), "alice", "proposal:9",
                new HookCall.Command("cancel", "{\"iteration\":3}"), "c-1");
        assertInstanceOf(HookReply.Allowed.class, hooks.call(call));
        JsonNode question = JSON.readTree(asked.get());
        assertEquals("/ws/projects/{project_id}", question.path("endpoint").asText());
        assertEquals("/ws/projects/p1", question.path("path").asText());
        assertEquals("p1", question.path("params").path("project_id").asText());
        assertEquals("Bearer t", question.path("headers").path("authorization").asText());
        assertEquals("alice", question.path("claims").path("sub").asText());
        assertEquals("reviewer", question.path("claims").path("roles").path(0).asText());
        assertEquals(1_900_000_000L, question.path("claims").path("exp").asLong());
        assertEquals("alice", question.path("userId").asText());
        assertEquals("proposal:9", question.path("room").asText());
        assertEquals("cancel", question.path("command").path("name").asText());
        assertEquals(3, question.path("command").path("data").path("iteration").asInt(), "data is JSON, not a string");
        assertEquals("c-1", question.path("connectionId").asText());
    }

    @Test
    void anAnonymousConnectHasANullUserAndNoRoomCommandOrConnection() throws Exception {
        answer(200, "{\"allow\":true}");
        hooks.call(connect(Duration.ofSeconds(2)));
        JsonNode question = JSON.readTree(asked.get());
        assertTrue(question.has("userId") && question.path("userId").isNull(), question.toString());
        assertTrue(!question.has("room") && !question.has("command") && !question.has("connectionId"), question.toString());
    }

    @Test
    void anAllowingAnswerIsReadFieldByField() {
        answer(200, "{\"allow\":true,\"userId\":\"user-7\",\"rooms\":[\"a:1\",\"b:2\"],\"info\":{\"plan\":\"pro\"},"
                + "\"expiresAt\":1900000000,\"result\":[1,2]}");
        HookReply.Allowed allowed = assertInstanceOf(HookReply.Allowed.class, hooks.call(connect(Duration.ofSeconds(2))));
        assertEquals("user-7", allowed.userId());
        assertEquals(List.of("a:1", "b:2"), allowed.rooms());
        assertEquals("{\"plan\":\"pro\"}", allowed.info());
        assertEquals(Instant.ofEpochSecond(1_900_000_000L), allowed.expiresAt());
        assertEquals("[1,2]", allowed.result());
        answer(200, "{\"allow\":true,\"expiresAt\":\"2030-01-01T00:00:00Z\",\"userId\":null}");
        HookReply.Allowed iso = assertInstanceOf(HookReply.Allowed.class, hooks.call(connect(Duration.ofSeconds(2))));
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), iso.expiresAt());
        assertNull(iso.userId());
        assertNull(iso.result());
    }

    @Test
    void aRefusalKeepsTheApplicationsCodeAndMessage() {
        answer(200, "{\"allow\":false,\"code\":\"USER_NOT_FOUND\",\"message\":\"User ID in token does not exist\"}");
        assertEquals(new HookReply.Denied("USER_NOT_FOUND", "User ID in token does not exist"), hooks.call(connect(Duration.ofSeconds(2))));
        answer(200, "{\"allow\":false,\"code\":\"NOT_A_REVIEWER\"}");
        assertEquals(new HookReply.Denied("NOT_A_REVIEWER", "refused by the application"), hooks.call(connect(Duration.ofSeconds(2))));
    }

    @Test
    void anyOtherAnswerIsAFailure() {
        for (String[] bad : new String[][] {
                {"500", "{\"allow\":true}", "answered status 500"},
                {"302", "", "answered status 302"},
                {"200", "<html>no</html>", "not JSON"},
                {"200", "[true]", "not a JSON object"},
                {"200", "{\"allow\":\"true\"}", "boolean"},
                {"200", "{\"allow\":false}", "code"},
                {"200", "{\"allow\":false,\"code\":\"has space\"}", "code"},
                {"200", "{\"allow\":true,\"rooms\":\"a:1\"}", "rooms"},
                {"200", "{\"allow\":true,\"userId\":7}", "userId"},
                {"200", "{\"allow\":true,\"expiresAt\":\"tomorrow\"}", "expiresAt"},
                {"200", "{\"allow\":true,\"pad\":\"" + "x".repeat(HttpBackendHooks.MAX_ANSWER_BYTES) + "\"}", "longer than"}}) {
            answer(Integer.parseInt(bad[0]), bad[1]);
            HookReply.Failed failed = assertInstanceOf(HookReply.Failed.class, hooks.call(connect(Duration.ofSeconds(2))),
                    bad[0] + " " + abbreviate(bad[1]));
            assertTrue(failed.why().contains(bad[2]), failed.why());
            assertTrue(!failed.why().contains("<html>") && !failed.why().contains("xxxx"), "never the body: " + failed.why());
        }
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsAFailureEvenWhenItsBodyStalls() {
        handler.set(exchange -> Thread.sleep(3_000));
        HookReply.Failed late = assertInstanceOf(HookReply.Failed.class, hooks.call(connect(Duration.ofMillis(300))));
        assertTrue(late.why().contains("no answer within 300 ms"), late.why());
        handler.set(exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write("{\"allow\":".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            Thread.sleep(3_000);
        });
        long started = System.nanoTime();
        HookReply.Failed stalled = assertInstanceOf(HookReply.Failed.class, hooks.call(connect(Duration.ofMillis(300))));
        assertTrue(stalled.why().contains("no answer within 300 ms"), stalled.why());
        assertTrue(System.nanoTime() - started < Duration.ofMillis(2_500).toNanos(), "the stalled body did not hold the caller");
    }

    /** When the hub stops, a call still waiting for a slow application ends at once, as a failure, not at its timeout. */
    @Test
    void closingEndsACallInFlightAtOnce() throws Exception {
        handler.set(exchange -> Thread.sleep(10_000));
        HttpBackendHooks closing = new HttpBackendHooks();
        CompletableFuture<HookReply> reply = CompletableFuture.supplyAsync(() -> closing.call(connect(Duration.ofSeconds(8))), executor);
        long asking = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (asked.get() == null && System.nanoTime() < asking) {
            Thread.sleep(10); // until the application has the question: the call is in flight
        }
        assertNotNull(asked.get(), "the call reached the application");
        long started = System.nanoTime();
        closing.close();
        assertInstanceOf(HookReply.Failed.class, reply.get(3, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos(), "not held until the 8 s timeout");
    }

    @Test
    void aHookWhereNothingListensIsAFailure() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HookCall call = new HookCall(URI.create("http://127.0.0.1:" + port + "/hook"), Duration.ofSeconds(2), "/ws", "/ws", Map.of(),
                Map.of(), Map.of(), null, null, null, null);
        HookReply.Failed failed = assertInstanceOf(HookReply.Failed.class, hooks.call(call));
        assertEquals("could not connect", failed.why());
    }

    private void answer(int status, String body) {
        handler.set(exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/connect");
    }

    private HookCall connect(Duration timeout) {
        return new HookCall(url(), timeout, "/ws", "/ws", Map.of(), Map.of(), Map.of(), null, null, null, null);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}

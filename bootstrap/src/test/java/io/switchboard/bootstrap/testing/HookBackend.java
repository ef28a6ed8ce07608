package io.switchboard.bootstrap.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An application's hook endpoint for tests: a real HTTP server on a free localhost port (the JDK's
 * {@code com.sun.net.httpserver}) that answers each POST with what {@code answers} says for its JSON
 * and keeps every question it was asked.
 */
public final class HookBackend implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: a status and a body, sent after {@code delay}. */
    public record Answer(int status, String body, Duration delay) {
        public static Answer json(String body) {
            return new Answer(200, body, Duration.ZERO);
        }

        public static Answer allow() {
            return json("{\"allow\":true}");
        }

        public static Answer refuse(String code, String message) {
            return json("{\"allow\":false,\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<JsonNode> questions = new CopyOnWriteArrayList<>();

    private HookBackend(Function<JsonNode, Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, answers));
        server.start();
    }

    /** A backend answering each question (the hub's JSON) with {@code answers}' answer. */
    public static HookBackend start(Function<JsonNode, Answer> answers) throws IOException {
        return new HookBackend(answers);
    }

    /** The URL of {@code path} on this backend. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every question asked so far, in order, as the hub sent it. */
    public List<JsonNode> questions() {
        return List.copyOf(questions);
    }

    /** A URL where nothing listens: a port just bound and released. */
    public static String nothingListening() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
        }
    }

    private void answer(HttpExchange exchange, Function<JsonNode, Answer> answers) throws IOException {
        try (exchange) {
            JsonNode question = JSON.readTree(exchange.getRequestBody().readAllBytes());
            questions.add(question);
            Answer answer = answers.apply(question);
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the hub gave up waiting (a timeout test) and closed the connection
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

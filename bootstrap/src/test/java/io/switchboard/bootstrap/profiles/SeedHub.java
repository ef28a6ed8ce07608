package io.switchboard.bootstrap.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.TestHub;
import io.switchboard.bootstrap.testing.JsonWebSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** What the seed acceptance tests do to a hub started with a profile, over real sockets and HTTP. */
final class SeedHub {
    static final Duration WAIT = Duration.ofSeconds(5);

    private SeedHub() {
    }

    static URI ws(TestHub hub, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + hub.port() + pathAndQuery);
    }

    static JsonNode json(String text) {
        try {
            return JsonWebSocket.json().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode stats(TestHub hub) {
        return json(hub.get("/api/v1/stats").body());
    }

    /** POSTs events to the publish API with {@code headers} (a publisher credential where the profile needs one); expects 202. */
    static JsonNode publish(TestHub hub, String events, Map<String, String> headers) {
        HttpResponse<String> response = hub.post("/api/v1/events", events, headers);
        if (response.statusCode() != 202) {
            throw new AssertionError("publish answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /** PUT with an empty body (declaring a room, adding a member), with {@code headers}. */
    static HttpResponse<String> put(TestHub hub, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.http(path)).timeout(WAIT).PUT(HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return TestHub.send(request.build());
    }

    /** Waits until {@code GET /api/v1/stats} counts {@code expected} connections. */
    static void awaitConnections(TestHub hub, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int total;
        while ((total = stats(hub).path("connections").path("total").asInt()) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + expected + " connections, stats say " + total);
            }
            Thread.sleep(20);
        }
    }
}

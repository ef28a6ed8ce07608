package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;

/** A Helidon server on a free loopback port with only the routes a test gives it, and a client for it. */
final class BareServer implements AutoCloseable {
    private final WebServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private BareServer(WebServer server) {
        this.server = server;
    }

    static BareServer start(Consumer<HttpRouting.Builder> routes) {
        HttpRouting.Builder routing = HttpRouting.builder().error(Throwable.class, new RouteErrors());
        routes.accept(routing);
        return new BareServer(WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start());
    }

    /** {@code GET path}, with {@code Authorization: Bearer <bearer>} unless {@code bearer} is null. */
    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JsonBodies.JSON.readTree(response.body());
    }

    @Override
    public void close() {
        client.close();
        server.stop();
    }
}

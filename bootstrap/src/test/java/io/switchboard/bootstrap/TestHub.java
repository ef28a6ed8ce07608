package io.switchboard.bootstrap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real hub on a free localhost port, configured like the launcher would be, for end-to-end tests. */
public final class TestHub implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Switchboard switchboard;

    private TestHub(Switchboard switchboard) {
        this.switchboard = switchboard;
    }

    static TestHub start() {
        return start(Map.of());
    }

    /**
     * A hub with in-memory storage ({@code --ephemeral}), the fastest to start.
     *
     * @param config configuration keys and values, as in application YAML ({@code hub.heartbeat.interval -> 1s})
     */
    static TestHub start(Map<String, String> config) {
        return start(config, true);
    }

    /** A hub with the default durable storage, H2 in {@code dataDir}, as the launcher starts it without {@code --ephemeral}. */
    static TestHub startDurable(Path dataDir, Map<String, String> config) {
        Map<String, String> overrides = new HashMap<>(config);
        overrides.put("hub.data-dir", dataDir.toString());
        return start(overrides, false);
    }

    private static TestHub start(Map<String, String> config, boolean ephemeral) {
        Map<String, String> overrides = new HashMap<>(config);
        overrides.putIfAbsent("server.port", "0");
        overrides.putIfAbsent("server.host", "127.0.0.1");
        Settings settings = Settings.from(new ConfigValues(overrides, Map.of()), ephemeral);
        return new TestHub(Switchboard.start(settings, Clock.systemUTC()));
    }

    /** A hub configured by a YAML file with {@code yaml} as its content, plus {@code config} overrides. */
    static TestHub startWithYaml(String yaml, Map<String, String> config) {
        return startWithYaml(yaml, config, true);
    }

    /** As {@link #startWithYaml(String, Map)}, on H2 in {@code dataDir}. */
    static TestHub startDurableWithYaml(Path dataDir, String yaml, Map<String, String> config) {
        Map<String, String> overrides = new HashMap<>(config);
        overrides.put("hub.data-dir", dataDir.toString());
        return startWithYaml(yaml, overrides, false);
    }

    private static TestHub startWithYaml(String yaml, Map<String, String> config, boolean ephemeral) {
        Map<String, String> overrides = new HashMap<>(config);
        overrides.putIfAbsent("server.port", "0");
        overrides.putIfAbsent("server.host", "127.0.0.1");
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("switchboard-test", ".yaml");
            java.nio.file.Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            Settings settings = Settings.from(new ConfigValues(overrides, Map.of()).withFile("--config", file), ephemeral);
            return new TestHub(Switchboard.start(settings, Clock.systemUTC()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A hub started as {@code --profile NAME} would start it (the bundled {@code profiles/NAME.yaml}),
     * in memory, with {@code config} on top as command-line overrides (e.g. shorter intervals).
     */
    public static TestHub startWithProfile(String profile, Map<String, String> config) {
        Map<String, String> overrides = new HashMap<>(config);
        overrides.putIfAbsent("server.port", "0");
        overrides.putIfAbsent("server.host", "127.0.0.1");
        ConfigValues values = new ConfigValues(overrides, Map.of());
        BundledProfiles.addTo(values, profile);
        return new TestHub(Switchboard.start(Settings.from(values, true), Clock.systemUTC()));
    }

    public int port() {
        return switchboard.port();
    }

    public URI ws() {
        return ws("");
    }

    /** @param query e.g. {@code "?batch=1"} */
    public URI ws(String query) {
        return URI.create("ws://127.0.0.1:" + port() + "/ws" + query);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** POSTs {@code json} to {@code /api/v1/events}. */
    public HttpResponse<String> publish(String json) {
        return post("/api/v1/events", json, Map.of());
    }

    public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    /** Stops the hub the way SIGTERM does: {@code disconnect}, close 1001, then the server stops. */
    @Override
    public void close() {
        switchboard.stop();
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

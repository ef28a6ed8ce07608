package io.switchboard.bootstrap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub as a separate JVM, started like the launcher does ({@code Main} with command-line
 * options) on this test's classpath, for what only another process shows: {@code kill -9}, SIGTERM, file locks.
 */
public final class HubProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path output;
    private int port = -1;

    private HubProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code Main} with {@code options}; stdout and stderr go to {@code output}. */
    public static HubProcess launch(Path output, String... options) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.switchboard.bootstrap.Main"));
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new HubProcess(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a hub on a free loopback port and waits until it says it is listening. */
    public static HubProcess start(Path output, String... options) {
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(List.of(options));
        HubProcess hub = launch(output, all.toArray(String[]::new));
        hub.awaitListening(Duration.ofSeconds(30));
        return hub;
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(output());
            if (matcher.find()) {
                port = Integer.parseInt(matcher.group(1));
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("hub exited with " + process.exitValue() + " before listening:\n" + output());
            }
            sleep(50);
        }
        process.destroyForcibly();
        throw new AssertionError("hub did not say it was listening within " + timeout + ":\n" + output());
    }

    public int port() {
        return port;
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** POSTs {@code json} to {@code /api/v1/events} from loopback (no API key needed). */
    public HttpResponse<String> publish(String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as an orchestrator stops the hub: its shutdown hook runs. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: the process gets no chance to flush or close anything. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** The exit code once the process ends by itself within {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("hub still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

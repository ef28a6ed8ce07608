package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown (SPEC 8): every client is told {@code disconnect} and closed with 1001, in
 * process and for a real SIGTERM; and the launcher refuses bad options before it starts anything.
 */
class ShutdownTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(3);
    /** Time for a JVM to start or to stop beyond the hub's own grace period. */
    private static final Duration JVM_MARGIN = Duration.ofSeconds(5);
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

    @Test
    void stoppingTheHubDisconnectsEveryClientWith1001AndRefusesNewOnes() throws Exception {
        TestHub hub = TestHub.start(Map.of("hub.shutdown-grace", "3s"));
        try (JsonWebSocket first = joined(hub.ws(), "shutdown:1");
             JsonWebSocket second = joined(hub.ws(), "shutdown:2")) {
            hub.close();

            assertDisconnectedForShutdown(first);
            assertDisconnectedForShutdown(second);
            assertThrows(IOException.class, () -> JsonWebSocket.connect(hub.ws()).close(),
                    "a stopped hub must not accept connections");
        } finally {
            hub.close();
        }
    }

    /**
     * {@code process.destroy()} sends SIGTERM. Observed: the JVM runs the shutdown hook to the end and
     * exits with 143 (128 + SIGTERM); 0 is accepted too, in case a future launcher exits explicitly.
     */
    @Test
    void sigtermDisconnectsClientsWith1001AndTheProcessExitsWithinTheGracePeriod() throws Exception {
        Process process = hubProcess(List.of("--port", "0", "--ephemeral"), Map.of("HUB_SHUTDOWN_GRACE", "3s"))
                .redirectErrorStream(true)
                .start();
        try {
            ProcessLog log = ProcessLog.follow(process);
            int port = log.awaitListeningPort(WAIT.plus(JVM_MARGIN));
            try (JsonWebSocket client = joined(URI.create("ws://127.0.0.1:" + port + "/ws"), "shutdown:sigterm")) {
                process.destroy();

                assertDisconnectedForShutdown(client);
                assertTrue(process.waitFor(GRACE.plus(JVM_MARGIN).toMillis(), TimeUnit.MILLISECONDS),
                        "the hub did not exit within " + GRACE + " + " + JVM_MARGIN + "; output:\n" + log.text());
                int exit = process.exitValue();
                assertTrue(exit == 143 || exit == 0, "exit code " + exit + "; output:\n" + log.text());
            }
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * SPEC 15: the log of a SIGTERM holds a line when the shutdown starts, then one close line per
     * connection, then a line when it is done; the JDK's own exit hook used to silence all but a few.
     */
    @Test
    void sigtermLogsTheShutdownAndEveryConnectionsCloseLine(@TempDir Path dir) throws Exception {
        int connections = 50;
        try (HubProcess process = HubProcess.start(dir.resolve("hub.log"), "--ephemeral")) {
            List<JsonWebSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    JsonWebSocket client = JsonWebSocket.connect(process.ws());
                    client.nextOfType("connected", WAIT);
                    clients.add(client);
                }
                process.terminate();
                int exit = process.awaitExit(Duration.ofSeconds(10).plus(JVM_MARGIN));
                assertTrue(exit == 143 || exit == 0, "exit code " + exit);
            } finally {
                clients.forEach(JsonWebSocket::close);
            }
            List<String> lines = process.output().lines().toList();
            int started = indexOf(lines, "shutdown started connections=" + connections + " grace_ms=10000");
            int complete = indexOf(lines, "shutdown complete connections_closed=" + connections + " cut_off=0 duration_ms=");
            List<Integer> closes = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("connection closed id=")) {
                    closes.add(i);
                    assertTrue(lines.get(i).matches(".* duration_ms=\\d+ code=1001$"), "a plain integer and the code: " + lines.get(i));
                }
            }
            assertEquals(connections, closes.size(), "one close line per connection:\n" + process.output());
            assertTrue(started < closes.getFirst() && closes.getLast() < complete, "started, the close lines, complete:\n" + process.output());
            assertTrue(lines.get(complete).matches(".* duration_ms=\\d+$"), lines.get(complete));
        }
    }

    // ---- the launcher refuses bad options with exit code 2 ----

    @Test
    void aPortThatIsNotANumberIsRefused() throws Exception {
        assertRefusedAtStart(List.of("--port", "abc"), Map.of(), "--port", "abc");
    }

    @Test
    void anUnknownOptionIsRefused() throws Exception {
        assertRefusedAtStart(List.of("--port", "0", "--ephemeral", "--bogus"), Map.of(), "--bogus", "unknown");
    }

    @Test
    void aBadValueInAnEnvironmentVariableIsRefusedNamingTheKey() throws Exception {
        assertRefusedAtStart(List.of("--port", "0", "--ephemeral"), Map.of("HUB_HEARTBEAT_INTERVAL", "xyz"),
                "hub.heartbeat.interval", "xyz");
    }

    @Test
    void anUnknownKeyInAConfigFileIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("switchboard.yaml"), "hub.heartbeat.intervall: 5s\n");
        assertRefusedAtStart(List.of("--port", "0", "--ephemeral", "--config", config.toString()), Map.of(),
                "hub.heartbeat.intervall", "unknown");
    }

    // ---- helpers ----

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "':\n" + String.join("\n", lines));
    }

    private static JsonWebSocket joined(URI uri, String room) throws IOException {
        JsonWebSocket client = JsonWebSocket.connect(uri);
        client.nextOfType("connected", WAIT);
        client.join(room);
        assertEquals("joined", client.next(WAIT).path("type").asText(), client.history().toString());
        return client;
    }

    /** The next message is {@code disconnect} (reconnect later, shutting down), and then the close is 1001. */
    private static void assertDisconnectedForShutdown(JsonWebSocket client) throws Exception {
        JsonNode disconnect = client.next(WAIT);
        assertEquals("disconnect", disconnect.path("type").asText(), disconnect.toString());
        JsonNode data = disconnect.path("data");
        assertEquals(1001, data.path("code").asInt(), disconnect.toString());
        assertTrue(data.path("reconnect").asBoolean(false), disconnect.toString());
        assertTrue(data.path("retryAfterMs").isNumber() && data.path("retryAfterMs").asLong() >= 0, disconnect.toString());
        assertTrue(data.path("reason").asText().contains("shutting down"), disconnect.toString());
        assertEquals(1001, client.closeCode().get(WAIT.toMillis(), TimeUnit.MILLISECONDS), client.closeReason());
        assertEquals(List.of(), client.history().subList(client.history().indexOf(disconnect) + 1, client.history().size()),
                "nothing after disconnect");
    }

    /** Runs the launcher to its end; it must exit with 2 before listening, and stderr must name the problem. */
    private static void assertRefusedAtStart(List<String> args, Map<String, String> env, String... mentioned)
            throws Exception {
        Path stderr = Files.createTempFile("switchboard-stderr", ".txt");
        Path stdout = Files.createTempFile("switchboard-stdout", ".txt");
        Process process = hubProcess(args, env)
                .redirectError(stderr.toFile())
                .redirectOutput(stdout.toFile())
                .start();
        try {
            boolean exited = process.waitFor(WAIT.plus(JVM_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            String errors = Files.readString(stderr);
            assertTrue(exited, "the launcher started instead of refusing " + args + " " + env + ":\n" + errors);
            assertEquals(2, process.exitValue(), errors);
            for (String text : mentioned) {
                assertTrue(errors.contains(text), "stderr should mention '" + text + "':\n" + errors);
            }
            assertFalse(Files.readString(stdout).contains("listening on port"), "it must not start listening");
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(stderr);
            Files.deleteIfExists(stdout);
        }
    }

    /** {@code java -cp <test classpath> io.switchboard.bootstrap.Main args}, without the caller's HUB_* variables. */
    private static ProcessBuilder hubProcess(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("HUB_"));
        builder.environment().putAll(env);
        return builder;
    }

    /** Drains a process's (merged) output on a thread so it never blocks, and keeps it for assertions. */
    private static final class ProcessLog {
        private final StringBuilder text = new StringBuilder();

        static ProcessLog follow(Process process) {
            ProcessLog log = new ProcessLog();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (log) {
                            log.text.append(line).append('\n');
                            log.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "hub-process-output");
            reader.setDaemon(true);
            reader.start();
            return log;
        }

        synchronized String text() {
            return text.toString();
        }

        /** Waits for the launcher's "listening on port N" line and returns N. */
        synchronized int awaitListeningPort(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Matcher m = LISTENING.matcher(text);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no 'listening on port' line within " + timeout + "; output:\n" + text);
                }
                wait(left);
            }
        }
    }
}

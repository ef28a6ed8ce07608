package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.LogWatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SPEC 15: sockets that never become clients cannot take the hub down. Sockets that send nothing,
 * or a byte now and then, are closed once the handshake timeout passes; beyond the socket cap a new
 * socket is closed at once, the clients already connected keep being served, and once the silent
 * sockets are gone the hub accepts again — also in a process whose file limit is low enough for
 * silent sockets to reach it.
 */
class SocketLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ROOM = "bystander:1";

    @TempDir
    Path temp;

    @Test
    void silentAndSlowSocketsAreClosedAfterTheHandshakeTimeoutAndCounted() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.limits.handshake-timeout", "1s"));
             JsonWebSocket client = JsonWebSocket.connect(hub.ws());
             Socket silent = connect(hub.port());
             Socket slow = connect(hub.port())) {
            client.nextOfType("connected", WAIT);
            long started = System.nanoTime();
            byte[] request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            int sent = 0;
            while (sent < request.length && !ended(slow)) {
                slow.getOutputStream().write(request[sent++]); // slowloris: one byte every 200 ms, never a whole head in time
                Thread.sleep(200);
            }
            assertTrue(ended(slow), "the slow socket is closed before its head is complete");
            assertEquals(-1, silent.getInputStream().read(), "the silent socket is closed");
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMs < 4_000, "closed within the timeout and a sweep: " + tookMs + " ms");

            JsonNode sockets = stats(hub).path("sockets");
            assertEquals(2, sockets.path("handshakeTimeouts").asLong(), sockets.toString());
            assertTrue(metrics(hub).contains("switchboard_handshake_timeouts_total 2"), "counted in /metrics");
            client.send("{\"type\":\"ping\",\"data\":{\"m\":\"still\"}}");
            assertEquals("pong", client.nextOfType("pong", WAIT).path("type").asText(), "a client past its handshake stays");
        }
    }

    @Test
    void beyondTheSocketCapANewSocketIsClosedAtOnceAndConnectedClientsAreServed() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.limits.max-sockets", "12", "hub.limits.handshake-timeout", "0"));
             JsonWebSocket bystander = JsonWebSocket.connect(hub.ws());
             Socket publisher = connect(hub.port())) {
            bystander.nextOfType("connected", WAIT);
            bystander.join(ROOM);
            bystander.nextOfType("joined", WAIT);
            assertEquals(202, publish(publisher, 1), "a keep-alive publisher, connected before the sockets fill up");
            assertEquals(1, bystander.nextOfType("tick", WAIT).path("data").asInt());

            List<Socket> silent = fillUntilRefused(hub.port(), 20);
            try {
                assertEquals(202, publish(publisher, 2));
                assertEquals(2, bystander.nextOfType("tick", WAIT).path("data").asInt(), "the bystander keeps receiving, in order");
            } finally {
                for (Socket socket : silent) {
                    socket.close();
                }
            }
            HttpResponse<String> health = awaitHealthy(hub.port());
            assertEquals(200, health.statusCode(), health.body());
            JsonNode sockets = stats(hub).path("sockets");
            assertTrue(sockets.path("refused").asLong() >= 1, sockets.toString());
            try (JsonWebSocket later = JsonWebSocket.connect(hub.ws())) {
                later.nextOfType("connected", WAIT);
            }
        }
    }

    /** A client that goes away in the middle of its request headers leaves a counted line, not Helidon's stack trace. */
    @Test
    void clientsThatGoAwayInTheirHeadersLeaveNoStackTrace() throws Exception {
        try (TestHub hub = TestHub.start(); LogWatch log = LogWatch.everything()) {
            for (int i = 0; i < 20; i++) {
                try (Socket socket = connect(hub.port())) {
                    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (log.lines().stream().noneMatch(line -> line.contains("went away in the middle of its request headers"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("went away in the middle of its request headers")),
                    "a counted line: " + log.lines());
            assertEquals(List.of(), log.thrown(), "no stack trace");
            assertEquals(200, hub.get("/health").statusCode(), "still served");
        }
    }

    /**
     * The review's attack on a process with a low file limit: without the cap, silent sockets used up the
     * descriptors and Helidon's listener stopped for good ("this server socket is terminating now").
     */
    @Test
    void aHubWithFewFileDescriptorsSurvivesSilentSocketsAndAcceptsAgain() throws Exception {
        Path log = temp.resolve("hub.log");
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -n 512 && exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "io.switchboard.bootstrap.Main", "--port", "0", "--ephemeral"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HUB_LIMITS_HANDSHAKE_TIMEOUT", "0");
        Process process = builder.start();
        try {
            int port = awaitListening(process, log);
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            try (JsonWebSocket bystander = JsonWebSocket.connect(ws); Socket publisher = connect(port)) {
                bystander.nextOfType("connected", WAIT);
                bystander.join(ROOM);
                bystander.nextOfType("joined", WAIT);
                List<Socket> silent = fillUntilRefused(port, 400);
                try {
                    assertTrue(silent.size() < 512, "the cap stays below the file limit: " + silent.size() + " held");
                    assertEquals(202, publish(publisher, 1));
                    assertEquals(1, bystander.nextOfType("tick", WAIT).path("data").asInt(), "the bystander keeps receiving");
                } finally {
                    for (Socket socket : silent) {
                        socket.close();
                    }
                }
                assertEquals(200, awaitHealthy(port).statusCode());
                try (JsonWebSocket later = JsonWebSocket.connect(ws)) {
                    later.nextOfType("connected", WAIT);
                }
                assertEquals(202, publish(publisher, 2));
                assertEquals(2, bystander.nextOfType("tick", WAIT).path("data").asInt());
            }
            String output = Files.readString(log);
            assertFalse(output.contains("terminating now"), "the listener never stopped:\n" + output);
            assertFalse(output.contains("Too many open files"), output);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    /** Opens {@code count} silent sockets; asserts the hub closed some at once (the cap) and returns the ones it holds open. */
    private static List<Socket> fillUntilRefused(int port, int count) throws Exception {
        List<Socket> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opened.add(connect(port));
        }
        Thread.sleep(500);
        List<Socket> held = new ArrayList<>();
        int refused = 0;
        for (Socket socket : opened) {
            if (ended(socket)) {
                refused++;
                socket.close();
            } else {
                held.add(socket);
            }
        }
        if (refused == 0) {
            for (Socket socket : held) {
                socket.close();
            }
            fail("none of " + count + " silent sockets was refused");
        }
        return held;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static boolean ended(Socket socket) throws IOException {
        socket.setSoTimeout(10);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout((int) WAIT.toMillis());
        }
    }

    /** Publishes {@code {"room":ROOM,"type":"tick","data":n}} on a kept-alive socket; the response status. */
    private static int publish(Socket socket, int n) throws IOException {
        String body = "{\"room\":\"" + ROOM + "\",\"type\":\"tick\",\"data\":" + n + "}";
        socket.getOutputStream().write(("POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                fail("the publisher's connection was closed: " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertTrue(length.find(), head.toString());
        in.readNBytes(Integer.parseInt(length.group(1)));
        return Integer.parseInt(head.substring(9, 12));
    }

    private static HttpResponse<String> awaitHealthy(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 || System.nanoTime() > deadline) {
                    return response;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    private static int awaitListening(Process process, Path log) throws Exception {
        Pattern listening = Pattern.compile("listening on port (\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            Matcher matcher = listening.matcher(output);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            if (!process.isAlive()) {
                fail("the hub exited before listening:\n" + output);
            }
            Thread.sleep(50);
        }
        return fail("the hub did not listen within 30 s:\n" + Files.readString(log));
    }

    private static JsonNode stats(TestHub hub) throws IOException {
        return JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body());
    }

    private static String metrics(TestHub hub) {
        return hub.get("/metrics").body();
    }
}

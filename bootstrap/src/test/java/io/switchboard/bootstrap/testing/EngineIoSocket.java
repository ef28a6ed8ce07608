package io.switchboard.bootstrap.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * A hand-driven Engine.IO 4 / Socket.IO 5 client on {@link RawWebSocket}: tests see and send the
 * packets themselves ({@code 0{…}}, {@code 40}, {@code 42[…]}, {@code 2}/{@code 3}). Server pings
 * are answered while reading unless {@link #answerPings} is off.
 */
public final class EngineIoSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RawWebSocket socket;
    private boolean answerPings = true;

    private EngineIoSocket(RawWebSocket socket) {
        this.socket = socket;
    }

    /** Opens {@code http://host:port<path>?EIO=4&transport=websocket} plus {@code query} (e.g. {@code "&token=…"}). */
    public static EngineIoSocket open(int port, String path, String query, Map<String, String> headers) throws IOException {
        return new EngineIoSocket(RawWebSocket.connect(
                URI.create("ws://127.0.0.1:" + port + path + "?EIO=4&transport=websocket" + query), headers));
    }

    public RawWebSocket raw() {
        return socket;
    }

    public void answerPings(boolean answer) {
        this.answerPings = answer;
    }

    public void send(String packet) throws IOException {
        socket.sendText(packet);
    }

    /** The next packet that is not a ping (pings are answered with {@code 3} when {@link #answerPings} is on). */
    public String next(Duration timeout) throws IOException {
        while (true) {
            String packet = socket.readText(timeout);
            if (!packet.equals("2")) {
                return packet;
            }
            if (answerPings) {
                socket.sendText("3");
            }
        }
    }

    /** Reads the handshake ({@code 0{…}}) and returns its JSON. */
    public JsonNode handshake(Duration timeout) throws IOException {
        String open = next(timeout);
        if (!open.startsWith("0")) {
            throw new IllegalStateException("expected the Engine.IO open packet, got " + open);
        }
        return JSON.readTree(open.substring(1));
    }

    /** Handshake, {@code 40} (with {@code auth} JSON or none), and the {@code 40{"sid"}} answer's sid. */
    public String connect(String auth, Duration timeout) throws IOException {
        handshake(timeout);
        send(auth == null ? "40" : "40" + auth);
        String answer = next(timeout);
        if (!answer.startsWith("40{")) {
            throw new IllegalStateException("expected 40{\"sid\":…}, got " + answer);
        }
        return JSON.readTree(answer.substring(2)).path("sid").asText();
    }

    /** {@code 42["name", arg]} with {@code argJson} already JSON. */
    public void emit(String name, String argJson) throws IOException {
        send("42[" + JSON.writeValueAsString(name) + "," + argJson + "]");
    }

    /** The arguments of the next event packet ({@code 42[name, …]}), failing on anything else. */
    public JsonNode nextEvent(Duration timeout) throws IOException {
        String packet = next(timeout);
        if (!packet.startsWith("42[")) {
            throw new IllegalStateException("expected an event 42[…], got " + packet);
        }
        return JSON.readTree(packet.substring(2));
    }

    /** Skips events until one named {@code name}; returns its arguments. */
    public JsonNode nextEvent(String name, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode event = nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event.path(0).asText().equals(name)) {
                return event;
            }
        }
    }

    public static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Override
    public void close() {
        socket.close();
    }
}

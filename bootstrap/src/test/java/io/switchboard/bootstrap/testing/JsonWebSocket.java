package io.switchboard.bootstrap.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Happy-path test client on the JDK's {@link WebSocket}: every JSON message the server sends is
 * parsed and queued, so tests read them in order with a timeout instead of wiring listeners.
 *
 * <p>Flow control is explicit in the JDK API, which lets {@link #pauseReading()} model a client
 * that stops reading without touching sockets. For protocol-level tricks use {@link RawWebSocket}.
 */
public final class JsonWebSocket implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int HISTORY_IN_ERRORS = 5;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** One client for all connections: each HttpClient owns threads and a selector. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> history = new ArrayList<>();
    private final AtomicInteger frames = new AtomicInteger();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private final Object flowLock = new Object();
    private volatile String closeReason;
    private volatile WebSocket webSocket;
    private boolean paused;          // guarded by flowLock
    private boolean requestWithheld; // guarded by flowLock

    private JsonWebSocket() {
    }

    /** The shared mapper used for parsing and for building messages. */
    public static ObjectMapper json() {
        return MAPPER;
    }

    public static JsonWebSocket connect(URI uri) throws IOException {
        return connect(uri, Map.of());
    }

    /**
     * Opens the connection, waiting at most 5 s.
     *
     * @param headers extra upgrade-request headers; the JDK rejects restricted ones
     *                (e.g. {@code Connection}, {@code Sec-WebSocket-*}) with IllegalArgumentException
     * @throws java.net.http.WebSocketHandshakeException if the server refuses the upgrade
     */
    public static JsonWebSocket connect(URI uri, Map<String, String> headers) throws IOException {
        JsonWebSocket client = new JsonWebSocket();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        try {
            client.webSocket = builder.buildAsync(uri, client.new Listener())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return client;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("WebSocket connect to " + uri + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("WebSocket connect to " + uri + " timed out after " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + uri);
        }
    }

    // ---- receiving ----

    /** Next message in arrival order. */
    public JsonNode next(Duration timeout) {
        return nextMatching(node -> true, timeout, () -> "any message");
    }

    /** Next message whose {@code "type"} equals {@code type}; others are dropped (still in {@link #history()}). */
    public JsonNode nextOfType(String type, Duration timeout) {
        return nextMatching(node -> type.equals(node.path("type").asText(null)), timeout,
                () -> "a message of type '" + type + "'");
    }

    /** The next {@code count} room events (messages with a top-level {@code "room"}), skipping others. */
    public List<JsonNode> nextEvents(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> events = new ArrayList<>(count);
        while (events.size() < count) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            events.add(nextMatching(node -> node.has("room"), left,
                    () -> "room event " + (events.size() + 1) + " of " + count + " (got " + events + ")"));
        }
        return events;
    }

    /**
     * Number of complete data messages received. The JDK API hides frame boundaries; since the
     * server sends each message as one frame, this equals the frame count (a batch counts once).
     */
    public int framesReceived() {
        return frames.get();
    }

    /** Every message received so far, in arrival order, including ones skipped by the next* methods. */
    public List<JsonNode> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** @param description built only for a failure: rendering what was received so far is costly */
    private JsonNode nextMatching(Predicate<JsonNode> wanted, Duration timeout, Supplier<String> description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                JsonNode node = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (node == null) {
                    throw new AssertionError("expected " + description.get() + " within " + timeout + describeState());
                }
                if (wanted.test(node)) {
                    return node;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + description.get(), e);
        }
    }

    private String describeState() {
        List<JsonNode> seen = history();
        List<JsonNode> tail = seen.subList(Math.max(0, seen.size() - HISTORY_IN_ERRORS), seen.size());
        String closed = closeCode.isDone() ? "; closed with " + closeCode.join() + " \"" + closeReason + '"' : "";
        return "; " + seen.size() + " message(s) seen, last " + tail.size() + ": " + tail + closed;
    }

    // ---- sending ----

    /** Sends one text message, waiting for it to be written; sends from several threads are serialized. */
    public void send(String json) {
        synchronized (sendLock) {
            await(webSocket.sendText(json, true), "send " + json);
        }
    }

    /** Sends {@code {"type":type,"data":data}}; a null {@code data} becomes {@code {}}. */
    public void send(String type, Map<String, Object> data) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("type", type);
        message.set("data", data == null ? MAPPER.createObjectNode() : MAPPER.valueToTree(data));
        try {
            send(MAPPER.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void join(String room) {
        join(room, null);
    }

    /** Joins {@code room}, asking for replay after event id {@code since} when it is not null. */
    public void join(String room, String since) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("room", room);
        if (since != null) {
            data.put("since", since);
        }
        send("join", data);
    }

    public void leave(String room) {
        send("leave", Map.of("room", room));
    }

    // ---- flow control ----

    /** Stops requesting messages once the current one is handled, so the server sees a stalled reader. */
    public void pauseReading() {
        synchronized (flowLock) {
            paused = true;
        }
    }

    /** Requests messages again, including the one withheld while paused. */
    public void resumeReading() {
        boolean request;
        synchronized (flowLock) {
            paused = false;
            request = requestWithheld;
            requestWithheld = false;
        }
        if (request) {
            webSocket.request(1);
        }
    }

    /** Called after every listener callback: the JDK delivers nothing more until asked. */
    private void requestNext(WebSocket ws) {
        synchronized (flowLock) {
            if (paused) {
                requestWithheld = true;
                return;
            }
        }
        ws.request(1);
    }

    // ---- closing ----

    /** Completes with the server's close status, or 1006 if the connection failed. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** Reason from the close frame (or the error text after a failure); null while open. */
    public String closeReason() {
        return closeReason;
    }

    /** The underlying JDK WebSocket, for anything this wrapper does not cover. */
    public WebSocket raw() {
        return webSocket;
    }

    /**
     * Sends close 1000 if still open, ignoring errors, and resumes reading so the server's close
     * reply can be received and the connection released.
     */
    @Override
    public void close() {
        WebSocket ws = webSocket;
        if (ws == null) {
            return;
        }
        if (!ws.isOutputClosed()) {
            try {
                synchronized (sendLock) {
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ws.abort();
            } catch (ExecutionException | TimeoutException e) {
                ws.abort();
            }
        }
        resumeReading();
    }

    private static void await(CompletableFuture<?> future, String what) {
        try {
            future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(what + " failed", io);
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " timed out after " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }

    /** Parses a complete message; batch mode packs several '\n'-separated JSON values into one. */
    private void accept(String text) {
        List<JsonNode> parsed = new ArrayList<>();
        try (MappingIterator<JsonNode> values = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            while (values.hasNextValue()) {
                parsed.add(values.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            // keep the raw text visible to assertions instead of losing it
            parsed = List.of(JsonNodeFactory.instance.textNode(text));
        }
        synchronized (history) {
            history.addAll(parsed);
        }
        inbox.addAll(parsed);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            webSocket = ws;
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.incrementAndGet();
                String text = partial.toString();
                partial.setLength(0);
                accept(text);
            }
            requestNext(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (last) {
                frames.incrementAndGet(); // unexpected from the hub; counted, not queued
            }
            requestNext(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            requestNext(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            requestNext(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (!closeCode.isDone()) {
                closeReason = String.valueOf(error);
            }
            closeCode.complete(1006);
        }
    }
}

package io.switchboard.bootstrap.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events reader on the JDK's HTTP client: parses the stream into blocks
 * ({@code id}, {@code event}, {@code data}, {@code retry}, comments) as an EventSource would.
 */
public final class SseClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One SSE block; {@code data} is the joined data lines. */
    public record Block(String id, String event, String data, String retry, List<String> comments) {
        public JsonNode json() {
            try {
                return JsonWebSocket.json().readTree(data);
            } catch (IOException e) {
                throw new AssertionError("data is not JSON: " + data, e);
            }
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final LinkedBlockingQueue<Block> blocks = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    public static SseClient open(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<Stream<String>> response() {
        return response;
    }

    public boolean ended() {
        return ended;
    }

    public Block next(Duration timeout) throws InterruptedException {
        Block block = blocks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (block == null) {
            throw new AssertionError("no SSE block within " + timeout + (ended ? " (the stream ended)" : ""));
        }
        return block;
    }

    /** The next block whose {@code event} is {@code type}, skipping others. */
    public Block nextOfType(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Block block = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (type.equals(block.event())) {
                return block;
            }
        }
    }

    /** The next {@code count} room events (blocks with an {@code id} and a {@code room} in their data). */
    public List<Block> nextEvents(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Block> events = new ArrayList<>();
        while (events.size() < count) {
            Block block = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (block.data() != null && block.json().has("room") && !"joined".equals(block.event())) {
                events.add(block);
            }
        }
        return events;
    }

    private void read() {
        String id = null;
        String event = null;
        String retry = null;
        StringBuilder data = null;
        List<String> comments = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (id != null || event != null || data != null || retry != null || !comments.isEmpty()) {
                        blocks.add(new Block(id, event, data == null ? null : data.toString(), retry, List.copyOf(comments)));
                    }
                    id = null;
                    event = null;
                    retry = null;
                    data = null;
                    comments.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "retry" -> retry = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (RuntimeException e) {
            // The stream was cut; readers see it through ended().
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}

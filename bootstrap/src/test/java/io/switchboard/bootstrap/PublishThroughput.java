package io.switchboard.bootstrap;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hand-run measurement, not a test: acknowledged publishes per second through
 * {@code POST /api/v1/events} on a hub in this JVM, with H2 or PostgreSQL storage (and in memory, for comparison).
 * Each publisher sends one request at a time to its own room and counts events answered {@code 202}.
 * See docs/benchmarks.md for how to run it and the figures.
 *
 * <p>Arguments: {@code [seconds per run, default 10] [publishers, default 1,8] [storages h2,memory,postgres; default h2,memory]}.
 */
final class PublishThroughput {
    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        List<Integer> publishers = args.length > 1
                ? List.of(args[1].split(",")).stream().map(Integer::parseInt).toList() : List.of(1, 8);
        List<String> storages = List.of(args.length > 2 ? args[2].split(",") : new String[] {"h2", "memory"});
        System.out.printf("%-9s %-6s %10s %12s %12s%n", "storage", "batch", "publishers", "events/s", "requests/s");
        for (String storage : storages) {
            for (int batch : List.of(1, 100)) {
                for (int count : publishers) {
                    Result result = measure(storage, batch, count, run);
                    System.out.printf("%-9s %-6d %10d %12.0f %12.0f%n", storage, batch, count,
                            result.events / result.seconds, result.requests / result.seconds);
                }
            }
        }
    }

    /**
     * A fresh hub (and database) per run; the first quarter of the run is warm-up and not counted.
     *
     * @param storage {@code h2}, {@code memory}, or {@code postgres} (a fresh schema on 127.0.0.1:5432, database test)
     */
    private static Result measure(String storage, int batch, int publishers, Duration run) throws Exception {
        Path data = Files.createTempDirectory("switchboard-throughput");
        Map<String, String> config = new java.util.HashMap<>(Map.of("server.port", "0", "server.host", "127.0.0.1",
                "hub.data-dir", data.toString(), "hub.publish.max-batch", "1000"));
        if (storage.equals("postgres")) {
            String schema = "sb_bench_" + Long.toHexString(System.nanoTime());
            try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                 var statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + schema);
            }
            config.put("hub.db.url", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
            config.put("hub.db.user", "postgres");
        }
        Switchboard hub = Switchboard.start(Settings.from(new ConfigValues(config, Map.of()), storage.equals("memory")), Clock.systemUTC());
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            URI uri = URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/events");
            publishFor(http, uri, batch, publishers, run.dividedBy(4));
            return publishFor(http, uri, batch, publishers, run);
        } finally {
            hub.stop();
        }
    }

    private static Result publishFor(HttpClient http, URI uri, int batch, int publishers, Duration run) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<long[]>> counts = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(publishers)) {
            long start = System.nanoTime();
            for (int p = 0; p < publishers; p++) {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body("bench:" + p, batch)))
                        .build();
                counts.add(threads.submit(() -> {
                    long events = 0;
                    long requests = 0;
                    while (running.get()) {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException(response.statusCode() + " " + response.body());
                        }
                        events += batch;
                        requests++;
                    }
                    return new long[] {events, requests};
                }));
            }
            Thread.sleep(run.toMillis());
            running.set(false);
            long events = 0;
            long requests = 0;
            for (Future<long[]> count : counts) {
                events += count.get()[0];
                requests += count.get()[1];
            }
            return new Result(events, requests, (System.nanoTime() - start) / 1e9);
        } finally {
            running.set(false);
        }
    }

    /** One event, or an atomic batch (a JSON array) of {@code size} events, with a small realistic payload. */
    private static String body(String room, int size) {
        String event = "{\"room\":\"" + room + "\",\"type\":\"task_update\",\"data\":{\"task\":\"t-7\",\"progress\":0.42,"
                + "\"message\":\"step 3 of 7 done\"}}";
        if (size == 1) {
            return event;
        }
        return "[" + String.join(",", Collections.nCopies(size, event)) + "]";
    }

    private record Result(long events, long requests, double seconds) {
    }
}

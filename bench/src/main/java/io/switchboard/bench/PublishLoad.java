package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The publish scenario (SPEC 17): {@code connections} publishers, each on its own kept-alive HTTP/1.1
 * connection ({@link KeptAlive}), POST events to {@code /api/v1/events} and count what is answered
 * {@code 202}. Closed loop ({@code rate} 0): each publisher sends its next request as soon as the
 * previous one is answered. Open loop ({@code rate} &gt; 0, events per second over all publishers): each
 * publisher's requests fall due on a fixed schedule, and a request's latency runs from when it fell
 * due, so a slow answer that delays the next request counts against it too (no coordinated omission).
 * A request holds {@code batch} events (a JSON array when more than one), each publisher to its own
 * room of {@code rooms} (publisher {@code i} to room {@code i mod rooms}).
 */
final class PublishLoad {
    private static final long HIGHEST_MICROS = 60_000_000L;

    record Spec(String host, int port, String label, int connections, int batch, double rate, int rooms, int size,
                double warmupSeconds, double seconds) {
        Spec {
            if (!host.equals("localhost") && !host.startsWith("127.")) {
                throw new IllegalArgumentException("the load generator only targets loopback, not " + host);
            }
        }
    }

    record Result(Spec spec, long events, long requests, long failures, String firstFailure, double seconds, Histogram micros) {
        double eventsPerSecond() {
            return events / seconds;
        }

        static String csvHeader() {
            return "store,loop,connections,batch,target_events_per_s,events_per_s,requests_per_s,p50_ms,p99_ms,p999_ms,max_ms,failures";
        }

        String csvRow() {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%.0f,%.0f,%.0f,%.2f,%.2f,%.2f,%.2f,%d", spec.label(),
                    spec.rate() > 0 ? "open" : "closed", spec.connections(), spec.batch(), spec.rate(), eventsPerSecond(),
                    requests / seconds, ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), failures);
        }

        void print() {
            System.out.printf(Locale.ROOT, "%s, %s loop, %d connections, batch %d%s: %,.0f events/s acknowledged (%,.0f requests/s) "
                            + "over %.1f s; 202 latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; %d failed requests%s%n",
                    spec.label(), spec.rate() > 0 ? "open" : "closed", spec.connections(), spec.batch(),
                    spec.rate() > 0 ? String.format(Locale.ROOT, ", target %,.0f events/s", spec.rate()) : "",
                    eventsPerSecond(), requests / seconds, seconds, ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), failures,
                    firstFailure == null ? "" : " (first: " + firstFailure + ")");
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    private PublishLoad() {
    }

    static Result run(Spec spec) throws Exception {
        if (spec.connections() < 1 || spec.connections() > 1000) {
            throw new IllegalArgumentException("--connections 1..1000");
        }
        if (spec.batch() < 1 || spec.batch() > 1000) {
            throw new IllegalArgumentException("--batch 1..1000");
        }
        if (spec.warmupSeconds() + spec.seconds() > Bench.MAX_SECONDS) {
            throw new IllegalArgumentException("--warmup plus --seconds at most " + Bench.MAX_SECONDS);
        }
        long start = System.nanoTime() + 100_000_000L;
        long measureFrom = start + (long) (spec.warmupSeconds() * 1e9);
        long measureTo = measureFrom + (long) (spec.seconds() * 1e9);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < spec.connections(); i++) {
            Worker worker = new Worker(spec, i, start, measureFrom, measureTo);
            worker.http.connect();
            workers.add(worker);
        }
        List<Thread> threads = new ArrayList<>();
        for (Worker worker : workers) {
            Thread thread = new Thread(worker, "publisher-" + worker.index);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(Bench.MAX_SECONDS * 1000L);
        }
        Histogram micros = new Histogram(HIGHEST_MICROS, 3);
        long events = 0;
        long requests = 0;
        long failures = 0;
        String firstFailure = null;
        for (Worker worker : workers) {
            micros.add(worker.micros);
            events += worker.events;
            requests += worker.requests;
            failures += worker.failures;
            if (firstFailure == null) {
                firstFailure = worker.firstFailure;
            }
        }
        return new Result(spec, events, requests, failures, firstFailure, spec.seconds(), micros);
    }

    /** One publisher on one connection. */
    private static final class Worker implements Runnable {
        final int index;
        final KeptAlive http;
        final Histogram micros = new Histogram(HIGHEST_MICROS, 3);
        private final Spec spec;
        private final long start;
        private final long measureFrom;
        private final long measureTo;
        private final long intervalNanos;
        private final String room;
        private final String padding;
        long events;
        long requests;
        long failures;
        String firstFailure;

        Worker(Spec spec, int index, long start, long measureFrom, long measureTo) {
            this.spec = spec;
            this.index = index;
            this.http = new KeptAlive(spec.host(), spec.port(), 30_000);
            this.start = start;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            // open loop: this publisher's share of the rate, in requests; staggered so the publishers do not send in step
            this.intervalNanos = spec.rate() > 0 ? (long) (1e9 * spec.connections() * spec.batch() / spec.rate()) : 0;
            this.room = "bench:publish:" + (index % Math.max(1, spec.rooms()));
            this.padding = "x".repeat(Math.max(0, spec.size() - 40));
        }

        @Override
        public void run() {
            StringBuilder body = new StringBuilder(256);
            long seq = 0;
            long due = start + (intervalNanos == 0 ? 0 : intervalNanos * index / spec.connections());
            while (true) {
                long now = System.nanoTime();
                if (intervalNanos > 0 && now < due) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
                if (now >= measureTo) {
                    break;
                }
                long from = intervalNanos > 0 ? due : now;
                body.setLength(0);
                if (spec.batch() > 1) {
                    body.append('[');
                }
                for (int i = 0; i < spec.batch(); i++) {
                    body.append(i == 0 ? "" : ",").append("{\"room\":\"").append(room).append("\",\"type\":\"load\",\"data\":{\"seq\":")
                            .append(seq++).append(",\"p\":\"").append(padding).append("\"}}");
                }
                if (spec.batch() > 1) {
                    body.append(']');
                }
                boolean accepted = post(body.toString());
                long answered = System.nanoTime();
                if (!accepted) {
                    failures++;
                } else if (from >= measureFrom && answered <= measureTo) {
                    micros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (answered - from) / 1000)));
                    events += spec.batch();
                    requests++;
                }
                due += intervalNanos;
                if (!accepted) {
                    LockSupport.parkNanos(10_000_000L);
                }
            }
            http.close();
        }

        private boolean post(String json) {
            try {
                KeptAlive.Response response = http.postJson("/api/v1/events", json, null);
                if (response.status() == 202) {
                    return true;
                }
                fail("HTTP " + response.status() + " " + response.body());
            } catch (IOException | RuntimeException e) {
                fail(e.toString());
            }
            return false;
        }

        private void fail(String why) {
            if (firstFailure == null) {
                firstFailure = why;
            }
        }
    }
}

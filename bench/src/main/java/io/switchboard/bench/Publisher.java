package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop publisher: event {@code seq} is due at {@code start + seq / rate}, whatever happened
 * to earlier ones. It is sent at that time (its payload carries the due time, so a late send
 * counts as latency); events that fell due while a POST was in flight go together in the next
 * POST as a JSON array (an atomic batch), up to {@code maxPerPost}. It speaks plain HTTP/1.1 on
 * one kept-alive socket ({@link KeptAlive}), so a POST costs the server's time and little of the client's.
 *
 * <p>A failed POST ends publishing, unless {@link #retrying} is set: then the same POST is sent again,
 * with the same {@code Idempotency-Key}, until the server answers 202 (so an answer lost on the way
 * neither skips nor repeats an event).
 */
final class Publisher implements Runnable {
    private static final long RETRY_NANOS = 100_000_000L;

    private final KeptAlive http;
    private final URI uri;
    private final String room;
    private final long count;
    private final long intervalNanos;
    private final int payloadBytes;
    private final int maxPerPost;
    private String idempotencyPrefix;
    /** The server's protocol: which answers mean it took a POST, and what it needs in the body; Switchboard's by default. */
    private Target server;
    private volatile long startNanos;
    private volatile boolean stop;

    // Read after the publisher thread ended.
    volatile long published;
    volatile long posts;
    volatile int largestPost;
    volatile long failedPosts;
    volatile String firstFailure;
    /** Round trip of each POST (request written to 202 read), in microseconds. */
    final Histogram postMicros = new Histogram(ClientLoop.HIGHEST_LATENCY_MICROS, 3);

    Publisher(URI uri, String room, double ratePerSecond, long count, int payloadBytes, int maxPerPost) {
        this.http = new KeptAlive(uri.getHost(), uri.getPort(), 10_000);
        this.uri = uri;
        this.room = room;
        this.count = count;
        this.intervalNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
        this.payloadBytes = payloadBytes;
        this.maxPerPost = maxPerPost;
    }

    /** Before {@link #start}: retry a failed POST (same body, {@code Idempotency-Key: prefix-<first seq>}) until it is taken. */
    Publisher retrying(String prefix) {
        this.idempotencyPrefix = prefix;
        return this;
    }

    /** Before {@link #start}: publishes as {@code target}'s server wants (Nchan: 201 or 202, the envelope's fields in the body). */
    Publisher servedBy(Target target) {
        this.server = target;
        return this;
    }

    /** Opens the connection before the schedule starts (a server refusing new sockets later does not stop publishing). */
    Publisher connect() throws IOException {
        http.connect();
        return this;
    }

    /** Connections opened, the first included. */
    long connections() {
        return http.opened;
    }

    long dueNanos(long seq) {
        return startNanos + seq * intervalNanos;
    }

    /** Publishes every event on schedule from {@code start} (a {@link System#nanoTime()}) on. */
    Thread start(long start) {
        this.startNanos = start;
        Thread thread = new Thread(this, "publisher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    void stop() {
        stop = true;
    }

    @Override
    public void run() {
        long seq = 0;
        StringBuilder body = new StringBuilder(256);
        publishing:
        while (seq < count && !stop) {
            long now = System.nanoTime();
            long due = dueNanos(seq);
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            body.setLength(0);
            int n = 0;
            long first = seq;
            while (seq < count && n < maxPerPost && dueNanos(seq) <= now) {
                body.append(n == 0 ? "" : ",");
                appendEvent(body, seq, dueNanos(seq));
                seq++;
                n++;
            }
            String json = n == 1 ? body.toString() : "[" + body + "]";
            String key = idempotencyPrefix == null ? null : "Idempotency-Key: " + idempotencyPrefix + "-" + first + "\r\n";
            while (!post(json, key)) {
                if (key == null || stop) {
                    // Skipped events show as gaps at the subscribers; reported separately as publish failures.
                    published = first;
                    break publishing;
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
            published = seq;
            posts++;
            largestPost = Math.max(largestPost, n);
        }
        http.close();
    }

    private void appendEvent(StringBuilder body, long seq, long due) {
        body.append("{\"room\":\"").append(room).append("\",\"type\":\"b\",\"data\":");
        String head = "{\"seq\":" + seq + ",\"sent\":" + due + ",\"p\":\"";
        body.append(head);
        for (int i = head.length() + 2; i < payloadBytes; i++) {
            body.append('x');
        }
        body.append("\"}").append(server == null ? "" : server.relayedEnvelopeFields(seq)).append('}');
    }

    private boolean post(String json, String extraHeaders) {
        try {
            long sent = System.nanoTime();
            KeptAlive.Response response = http.postJson(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                    json, extraHeaders);
            postMicros.recordValue(Math.min(ClientLoop.HIGHEST_LATENCY_MICROS, (System.nanoTime() - sent) / 1000));
            if (server == null ? response.status() == 202 : server.publishAccepted(response.status())) {
                return true;
            }
            fail("HTTP " + response.status() + " " + response.body());
        } catch (IOException | RuntimeException e) {
            fail(e.toString());
        }
        http.close();
        return false;
    }

    private void fail(String why) {
        failedPosts++;
        if (firstFailure == null) {
            firstFailure = why;
        }
    }
}

package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop publisher: event {@code seq} is due at {@code start + seq / rate}, whatever happened
 * to earlier ones. It is sent at that time (its payload carries the due time, so a late send
 * counts as latency); events that fell due while a POST was in flight go together in the next
 * POST as a JSON array (an atomic batch), up to {@code maxPerPost}. It speaks plain HTTP/1.1 on
 * one kept-alive socket, so a POST costs the server's time and little of the client's.
 */
final class Publisher implements Runnable {
    private Socket socket;
    private InputStream input;
    private String lastBody;
    private final URI uri;
    private final String room;
    private final long count;
    private final long intervalNanos;
    private final int payloadBytes;
    private final int maxPerPost;
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
        this.uri = uri;
        this.room = room;
        this.count = count;
        this.intervalNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
        this.payloadBytes = payloadBytes;
        this.maxPerPost = maxPerPost;
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
            if (post(json)) {
                published = seq;
            } else {
                // Skipped events show as gaps at the subscribers; reported separately as publish failures.
                published = first;
                break;
            }
            posts++;
            largestPost = Math.max(largestPost, n);
        }
        closeSocket();
    }

    private void appendEvent(StringBuilder body, long seq, long due) {
        body.append("{\"room\":\"").append(room).append("\",\"type\":\"b\",\"data\":");
        String head = "{\"seq\":" + seq + ",\"sent\":" + due + ",\"p\":\"";
        body.append(head);
        for (int i = head.length() + 2; i < payloadBytes; i++) {
            body.append('x');
        }
        body.append("\"}}");
    }

    private boolean post(String json) {
        try {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(10_000);
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
                input = new BufferedInputStream(socket.getInputStream(), 8192);
            }
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long sent = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            int status = readResponse();
            postMicros.recordValue(Math.min(ClientLoop.HIGHEST_LATENCY_MICROS, (System.nanoTime() - sent) / 1000));
            if (status == 202) {
                return true;
            }
            fail("HTTP " + status + " " + lastBody);
        } catch (IOException | RuntimeException e) {
            fail(e.toString());
        }
        closeSocket();
        return false;
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    private int readResponse() throws IOException {
        String status = readLine();
        int length = 0;
        boolean close = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:")) {
                throw new IOException("the publisher reads Content-Length bodies only, not " + line);
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        lastBody = new String(input.readNBytes(length), StandardCharsets.UTF_8);
        if (close) {
            closeSocket();
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("bad status line '" + status + "'");
        }
        return Integer.parseInt(parts[1]);
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = input.read(); c != '\n'; c = input.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // reconnects on the next POST
            }
            socket = null;
        }
    }

    private void fail(String why) {
        failedPosts++;
        if (firstFailure == null) {
            firstFailure = why;
        }
    }
}

package io.switchboard.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the hub once a second: its RSS ({@code /proc/<pid>/status}), {@code GET /health} and
 * {@code GET /api/v1/stats} on one kept-alive connection opened before the attack (as a load
 * balancer's health checks are), and {@code GET /health} on a fresh connection (which the socket
 * cap may refuse like any other).
 */
final class HubMonitor implements Runnable {
    /** One second's sample; -1 where it could not be read. */
    record Sample(double seconds, long rssKiB, int health, boolean ready, boolean freshReady, long socketsOpen,
                  long socketsRefused, long handshakeTimeouts, long connections, long websocket, long sse, long dropped,
                  long bystanderEvents) {
    }

    private static final Pattern CONNECTIONS = Pattern.compile(
            "\"connections\":\\{\"total\":(\\d+),\"websocket\":(\\d+),\"sse\":(\\d+)");
    private static final Pattern SOCKETS = Pattern.compile(
            "\"sockets\":\\{\"open\":(\\d+),\"refused\":(\\d+),\"handshakeTimeouts\":(\\d+)");
    private static final Pattern DROPPED = Pattern.compile("\"dropped\":(\\d+)");

    private final String host;
    private final int port;
    private final long pid;
    private final java.util.function.LongSupplier bystanderEvents;
    private final KeptAlive http;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean stop;
    private volatile Sample last;
    private long startNanos;
    private Thread thread;
    /** Kept-alive requests that failed (the connection is opened again for the next one). */
    volatile long failures;
    volatile String firstFailure;

    /** @param bystanderEvents how many events the bystander has received so far (sampled with the hub) */
    HubMonitor(String host, int port, long pid, java.util.function.LongSupplier bystanderEvents) {
        this.host = host;
        this.port = port;
        this.pid = pid;
        this.bystanderEvents = bystanderEvents;
        this.http = new KeptAlive(host, port, 5_000);
    }

    /** Opens the kept-alive connection and takes a first sample (time 0). */
    HubMonitor connect(long startNanos) throws IOException {
        this.startNanos = startNanos;
        http.connect();
        sample();
        return this;
    }

    void start() {
        thread = new Thread(this, "monitor");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(15_000);
        http.close();
    }

    Sample last() {
        return last;
    }

    /** Every sample so far; a copy. */
    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    long keptAliveConnections() {
        return http.opened;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (!stop) {
            next += 1_000_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            sample();
        }
    }

    private void sample() {
        double t = (System.nanoTime() - startNanos) / 1e9;
        long rss = Fanout.hubRss(pid)[0];
        int health = -1;
        boolean ready = false;
        String stats = "";
        try {
            KeptAlive.Response response = http.get("/health");
            health = response.status();
            ready = health == 200 && response.body().contains("\"status\":\"UP\"");
            stats = http.get("/api/v1/stats").body();
        } catch (IOException | RuntimeException e) {
            failures++;
            if (firstFailure == null) {
                firstFailure = String.format(Locale.ROOT, "at %.0f s: %s", t, e);
            }
        }
        boolean fresh = false;
        try (KeptAlive once = new KeptAlive(host, port, 2_000)) {
            KeptAlive.Response response = once.get("/health");
            fresh = response.status() == 200 && response.body().contains("\"status\":\"UP\"");
        } catch (IOException | RuntimeException e) {
            // counted as not ready
        }
        Matcher c = CONNECTIONS.matcher(stats);
        Matcher s = SOCKETS.matcher(stats);
        Matcher d = DROPPED.matcher(stats);
        boolean cs = c.find();
        boolean ss = s.find();
        Sample sample = new Sample(t, rss, health, ready, fresh, ss ? Long.parseLong(s.group(1)) : -1,
                ss ? Long.parseLong(s.group(2)) : -1, ss ? Long.parseLong(s.group(3)) : -1,
                cs ? Long.parseLong(c.group(1)) : -1, cs ? Long.parseLong(c.group(2)) : -1, cs ? Long.parseLong(c.group(3)) : -1,
                d.find() ? Long.parseLong(d.group(1)) : -1, bystanderEvents.getAsLong());
        synchronized (this) {
            samples.add(sample);
        }
        last = sample;
    }
}

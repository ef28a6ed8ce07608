package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One selector thread holding many subscriber connections: it opens them (a bounded number of
 * handshakes at a time), reads and answers them, and records every event's latency in its own
 * histogram. Counters other threads poll are in {@link Shared}; the rest is read after {@link #stop}.
 */
final class ClientLoop implements Runnable {
    /** Handshakes in flight per loop by default: more would only overflow the server's accept backlog. */
    static final int MAX_OPENING = 256;
    static final long HIGHEST_LATENCY_MICROS = 600_000_000L;

    /** State shared by every loop of one run, safe to read from any thread. */
    static final class Shared {
        final AtomicInteger ready = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger closedAfterReady = new AtomicInteger();
        final LongAdder deliveries = new LongAdder();
        /** Resume: connections that received every event they expected ({@link Conn#expect}). */
        final AtomicInteger caughtUp = new AtomicInteger();
        final Map<String, AtomicInteger> notes = new ConcurrentHashMap<>();
        /** Events with a lower sequence number are warm-up: checked for order, not timed. */
        volatile long measureFromSeq;
        /** Events below this (and timed) are the first second's; from {@link #lastSecondFromSeq} on, the last second's. */
        volatile long firstSecondUntilSeq;
        volatile long lastSecondFromSeq = Long.MAX_VALUE;

        void note(String what) {
            String normalised = what.replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"...\"");
            String key = normalised.length() > 160 ? normalised.substring(0, 160) + "..." : normalised;
            if (notes.size() < 50 || notes.containsKey(key)) {
                notes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
        }

        Map<String, Integer> notesSnapshot() {
            Map<String, Integer> copy = new TreeMap<>();
            notes.forEach((k, v) -> copy.put(k, v.get()));
            return copy;
        }
    }

    private final Selector selector;
    private final Target target;
    private final List<InetAddress> sourceAddresses;
    private final Shared shared;
    private final List<Conn> conns = new ArrayList<>();
    private final Histogram latencyMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    private final Histogram firstSecondMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    private final Histogram lastSecondMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    private int toOpen;
    private int maxOpening = MAX_OPENING;
    /** Prepares the i-th connection before it connects (its room, {@code since}); none: the target's room. */
    private java.util.function.ObjIntConsumer<Conn> setup;
    private int opened;
    private int opening;
    private volatile boolean stop;
    private Thread thread;

    // Read after stop(): the measured (post warm-up) deliveries.
    long measuredDeliveries;
    long lastMeasuredNanos;
    /** CPU time this loop's thread used, in nanoseconds: tells whether the generator kept up. */
    volatile long cpuNanos;

    ClientLoop(Target target, int connections, List<InetAddress> sourceAddresses, Shared shared) throws IOException {
        this.selector = Selector.open();
        this.target = target;
        this.toOpen = connections;
        this.sourceAddresses = sourceAddresses;
        this.shared = shared;
    }

    /** Before {@link #start}: how to prepare each connection, and how many handshakes may be in flight. */
    ClientLoop configure(java.util.function.ObjIntConsumer<Conn> setup, int maxOpening) {
        this.setup = setup;
        this.maxOpening = maxOpening;
        return this;
    }

    ClientLoop start(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops the loop, closes its connections and waits for its thread. */
    void stop() throws InterruptedException {
        if (!thread.isAlive()) {
            return;
        }
        stop = true;
        selector.wakeup();
        thread.join(30_000);
    }

    List<Conn> conns() {
        return conns;
    }

    Histogram latency() {
        return latencyMicros;
    }

    /** Latency of the first timed second's events. */
    Histogram firstSecond() {
        return firstSecondMicros;
    }

    /** Latency of the last second's events: against {@link #firstSecond()}, whether a backlog built up. */
    Histogram lastSecond() {
        return lastSecondMicros;
    }

    @Override
    public void run() {
        try {
            while (!stop) {
                openMore();
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            conn.onConnectable();
                        }
                        if (key.isValid() && key.isReadable()) {
                            conn.onReadable();
                        }
                        if (key.isValid() && key.isWritable()) {
                            conn.onWritable();
                        }
                    } catch (IOException | RuntimeException e) {
                        conn.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            shared.note("selector failed: " + e);
        } finally {
            cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            for (Conn conn : conns) {
                conn.shutdown(true);
            }
            try {
                selector.close();
            } catch (IOException e) {
                // ending anyway
            }
        }
    }

    private void openMore() {
        while (opened < toOpen && opening < maxOpening) {
            InetAddress source = sourceAddresses.isEmpty() ? null : sourceAddresses.get(conns.size() % sourceAddresses.size());
            opened++;
            opening++;
            SocketChannel channel = null;
            Conn conn = null;
            try {
                channel = SocketChannel.open();
                conn = new Conn(this, target, channel);
                if (setup != null) {
                    setup.accept(conn, conns.size());
                }
                conns.add(conn);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (source != null) {
                    channel.bind(new InetSocketAddress(source, 0));
                }
                boolean connected = channel.connect(target.address());
                SelectionKey key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, conn);
                conn.registered(key, connected);
            } catch (IOException | RuntimeException e) {
                String why = "cannot connect" + (source == null ? "" : " from " + source.getHostAddress()) + ": " + e.getMessage();
                if (conn != null) {
                    conn.fail(why);
                } else {
                    opening--;
                    shared.failed.incrementAndGet();
                    shared.note(why);
                }
                if (channel != null && channel.isOpen()) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                }
            }
        }
    }

    // ---- called by this loop's connections

    void ready(Conn conn) {
        opening--;
        shared.ready.incrementAndGet();
    }

    void closed(Conn conn, boolean wasReady, String why) {
        if (stop) {
            return;
        }
        if (wasReady) {
            shared.closedAfterReady.incrementAndGet();
        } else {
            opening--;
            shared.failed.incrementAndGet();
        }
        if (why != null) {
            shared.note(why);
        }
    }

    boolean stopping() {
        return stop;
    }

    void caughtUp(Conn conn) {
        shared.caughtUp.incrementAndGet();
    }

    void note(String text) {
        shared.note(text);
    }

    void delivered(long seq, long scheduledNanos) {
        shared.deliveries.increment();
        if (seq >= shared.measureFromSeq) {
            long now = System.nanoTime();
            long micros = Math.min(HIGHEST_LATENCY_MICROS, Math.max(0, (now - scheduledNanos) / 1000));
            latencyMicros.recordValue(micros);
            if (seq < shared.firstSecondUntilSeq) {
                firstSecondMicros.recordValue(micros);
            } else if (seq >= shared.lastSecondFromSeq) {
                lastSecondMicros.recordValue(micros);
            }
            measuredDeliveries++;
            lastMeasuredNanos = now;
        }
    }
}

package io.switchboard.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One selector thread driving every hostile client of the abuse scenario ({@link Attacker}s): their
 * sockets, and their timers (a byte to trickle, a socket to drop, a reconnect after a refusal). The
 * attackers and their tallies are touched by this thread only; read them after {@link #stop}.
 */
final class AttackLoop implements Runnable {
    private record Timer(long at, Attacker attacker) {
    }

    private final Selector selector;
    private final InetSocketAddress server;
    private final List<Attacker> attackers = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final Runnable progress;
    private volatile boolean stop;
    private Thread thread;
    /** Sockets that could not even be opened or connected (the generator's or the kernel's limit). */
    long connectFailures;
    String firstConnectFailure;
    /** CPU time of this thread, in nanoseconds: tells whether the generator kept up. */
    volatile long cpuNanos;

    /** @param progress run on this thread every 10 s (it may read the tallies) */
    AttackLoop(InetSocketAddress server, Runnable progress) throws IOException {
        this.selector = Selector.open();
        this.server = server;
        this.progress = progress;
    }

    InetSocketAddress server() {
        return server;
    }

    Selector selector() {
        return selector;
    }

    /** Before {@link #start}: an attacker that opens its first socket within {@code spreadNanos} from {@code fromNanos}. */
    void add(Attacker attacker, long fromNanos, long spreadNanos) {
        attackers.add(attacker);
        attacker.schedule(fromNanos + (spreadNanos > 0 ? ThreadLocalRandom.current().nextLong(spreadNanos) : 0));
    }

    void schedule(Attacker attacker, long at) {
        timers.add(new Timer(at, attacker));
    }

    void start() {
        thread = new Thread(this, "attackers");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops every attacker (their sockets are closed) and waits for the thread. */
    void stop() throws InterruptedException {
        stop = true;
        selector.wakeup();
        thread.join(30_000);
    }

    /** Counted a socket that could not be opened or connected. */
    void connectFailed(String why) {
        connectFailures++;
        if (firstConnectFailure == null) {
            firstConnectFailure = why;
        }
    }

    @Override
    public void run() {
        long nextReport = System.nanoTime() + 10_000_000_000L;
        try {
            while (!stop) {
                long now = System.nanoTime();
                Timer due;
                while ((due = timers.peek()) != null && due.at <= now) {
                    timers.poll();
                    due.attacker.timerFired(due.at);
                }
                long wait = due == null ? 50 : Math.max(1, Math.min(50, (due.at - System.nanoTime()) / 1_000_000));
                selector.select(wait);
                for (SelectionKey key : selector.selectedKeys()) {
                    Attacker attacker = (Attacker) key.attachment();
                    attacker.ready(key);
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() > nextReport) {
                    progress.run();
                    nextReport += 10_000_000_000L;
                }
            }
        } catch (IOException e) {
            connectFailed("selector failed: " + e);
        } finally {
            cpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            for (Attacker attacker : attackers) {
                attacker.finish();
            }
            try {
                selector.close();
            } catch (IOException e) {
                // ending anyway
            }
        }
    }
}

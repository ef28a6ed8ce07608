package io.switchboard.adapters.websocket;

import io.switchboard.application.hub.Frame;
import io.switchboard.application.hub.FrameSink;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The write side of an Engine.IO long-polling session: the connection's writer adds packets, and the
 * client's next {@code GET} {@link #take takes} them all, joined by {@link EngineIoPacket#SEPARATOR}.
 * Packets that wait here are bounded like bytes a socket has not sent: beyond {@code maxBuffered}
 * characters the writer waits for a {@code GET}, so a client that stops polling fills its outbound
 * queue and meets the hub's slow-consumer rule, as a stalled WebSocket does.
 *
 * <p>When the client upgrades ({@link #upgrade}), what is still here goes first to the WebSocket, and
 * from then on every write goes there: the same connection continues with no packet lost or sent twice.
 */
final class PollingSink implements FrameSink {
    private static final String NOOP = String.valueOf(EngineIoPacket.NOOP);
    private static final String CLOSE = String.valueOf(EngineIoPacket.CLOSE);

    private final int maxBuffered;
    private final long upgradeTimeoutNanos;
    /** Told once with the close code when the polling transport is over (not when it was upgraded). */
    private final IntConsumer ended;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final StringBuilder buffered = new StringBuilder();
    private boolean closing;
    private boolean over;
    private int closeCode;
    private long upgradingSince = -1;
    /** Set, under the lock, once the client upgraded; from then on the writer writes there without the lock. */
    private volatile SocketIoSink websocket;

    /**
     * @param maxBuffered         characters held for the next GET before the writer waits
     * @param upgradeTimeoutNanos how long after a probe the GETs are answered at once (the client is pausing its polling)
     * @param ended               called with the close code when the transport ended
     */
    PollingSink(int maxBuffered, long upgradeTimeoutNanos, IntConsumer ended) {
        this.maxBuffered = maxBuffered;
        this.upgradeTimeoutNanos = upgradeTimeoutNanos;
        this.ended = ended;
    }

    @Override
    public void text(Frame frame) {
        SocketIoSink upgraded = websocket;
        if (upgraded != null) {
            upgraded.text(frame);
            return;
        }
        String text = frame.text();
        if (!text.isEmpty()) {
            add(text, frame);
        }
    }

    private void add(String packets, Frame frame) {
        lock.lock();
        try {
            while (buffered.length() >= maxBuffered && websocket == null && !over && !closing) {
                changed.awaitUninterruptibly(); // the client has not polled: wait as a full socket would
            }
            if (websocket != null) {
                websocket.text(frame);
                return;
            }
            if (over || closing) {
                return;
            }
            if (!buffered.isEmpty()) {
                buffered.append(EngineIoPacket.SEPARATOR);
            }
            buffered.append(packets);
        } finally {
            lock.unlock();
        }
    }

    /** The writer has nothing more queued: a waiting GET may answer with what is here. */
    @Override
    public void flush() {
        SocketIoSink upgraded = websocket;
        if (upgraded != null) {
            upgraded.flush();
            return;
        }
        lock.lock();
        try {
            if (websocket != null) {
                websocket.flush();
            } else {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The Engine.IO ping {@code 2}, which the client answers with a POST of {@code 3}. */
    @Override
    public void ping() {
        SocketIoSink upgraded = websocket;
        if (upgraded != null) {
            upgraded.ping();
            return;
        }
        add(EngineIoPacket.ping(), Frame.of(EngineIoPacket.ping()));
        flush();
    }

    /** Long-polling carries no WebSocket pings, so there is nothing to answer until the client upgraded. */
    @Override
    public void pong(byte[] payload) {
        SocketIoSink upgraded = websocket;
        if (upgraded != null) {
            upgraded.pong(payload);
        }
    }

    /**
     * The close packet {@code 1} goes with the GET after the one that takes what was written before it:
     * socket.io-client hands a payload's messages to the application a tick after reading them, so a
     * close in the same payload would end the socket before its last messages (the {@code disconnect}
     * notice) reached the application. The transport is over, and this returns, once a GET sent it ({@link #sent}).
     */
    @Override
    public void close(int code, String reason) {
        SocketIoSink upgraded = websocket;
        if (upgraded != null) {
            upgraded.close(code, reason);
            return;
        }
        lock.lock();
        try {
            if (websocket != null) {
                websocket.close(code, reason);
                return;
            }
            if (closing || over) {
                return;
            }
            closing = true;
            closeCode = code;
            changed.signalAll();
            // Written means sent: the hub counts the connection as closed when this returns (a shutdown
            // then stops the server), so wait, as for a slow socket, until a GET took it or the hub cut it.
            while (!over) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session at once: a waiting GET answers with the close packet, later ones find no session. */
    @Override
    public void abort() {
        SocketIoSink upgraded = websocket;
        if (upgraded != null) {
            upgraded.abort();
            return;
        }
        end(1006);
    }

    /**
     * What the client's GET receives: everything waiting (the close packet alone, after the rest), or,
     * when nothing comes within {@code waitNanos}, a noop. A GET during an upgrade is answered at once (a noop when nothing waits), so that the client
     * can pause its polling and finish the upgrade.
     */
    String take(long waitNanos) {
        lock.lock();
        try {
            long remaining = waitNanos;
            while (buffered.isEmpty() && !closing && !over && websocket == null && !upgrading() && remaining > 0) {
                try {
                    remaining = changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!buffered.isEmpty()) {
                String payload = buffered.toString();
                buffered.setLength(0);
                changed.signalAll(); // a writer waiting for room may go on
                return payload;
            }
            return over || closing ? CLOSE : NOOP;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A GET has sent the client what {@link #take} returned: if that was the close packet, the transport
     * is over now — not before, or a shutdown could stop the server while that answer is on its way.
     */
    void sent(String payload) {
        int code;
        lock.lock();
        try {
            if (!closing || over || !CLOSE.equals(payload)) {
                return;
            }
            code = closeCode;
        } finally {
            lock.unlock();
        }
        end(code);
    }

    /** The client sent the close packet: it reads nothing more, so the transport is over at once. */
    void clientClosed() {
        end(1000);
    }

    /** The client probed a WebSocket ({@code 2probe}): GETs are answered at once until it upgrades or the probe times out. */
    void probing() {
        lock.lock();
        try {
            upgradingSince = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client sent {@code 5} on its probed WebSocket: what waits here is written there, then every
     * later write. A GET still waiting is answered with a noop.
     *
     * @return false when the session is closing or over (the client must start again)
     */
    boolean upgrade(SocketIoSink target) {
        lock.lock();
        try {
            if (closing || over || websocket != null) {
                return false;
            }
            if (!buffered.isEmpty()) {
                target.text(Frame.of(buffered.toString())); // split into one frame per packet
                buffered.setLength(0);
                target.flush();
            }
            websocket = target;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean upgrading() {
        return upgradingSince >= 0 && System.nanoTime() - upgradingSince < upgradeTimeoutNanos;
    }

    private void end(int code) {
        lock.lock();
        try {
            if (over) {
                return;
            }
            over = true;
            buffered.setLength(0);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        ended.accept(code);
    }

    /** Whether the upgrade finished, so that the WebSocket carries this session. */
    boolean upgraded() {
        return websocket != null;
    }
}

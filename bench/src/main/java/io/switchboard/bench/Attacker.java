package io.switchboard.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One hostile client of the abuse scenario: a socket at a time, opened again after it ends, and one
 * timer. Subclasses say what it sends and reads; this class opens, writes, closes (politely or with
 * a reset) and tells them how the socket ended. Driven by its {@link AttackLoop}'s thread only.
 */
abstract class Attacker {
    /** Backoff after a socket could not be opened or was refused at once. */
    private static final long BACKOFF_MIN_NANOS = 200_000_000L;
    private static final long BACKOFF_SPREAD_NANOS = 500_000_000L;

    protected final AttackLoop loop;
    private SocketChannel channel;
    private SelectionKey key;
    private final PendingWrites out = new PendingWrites();
    private long timerAt;
    /** When the current socket's connect completed ({@link System#nanoTime()}). */
    protected long connectedNanos;

    Attacker(AttackLoop loop) {
        this.loop = loop;
    }

    // ---- what a kind of attacker does

    /** Socket options before the connect (e.g. a tiny receive buffer). */
    protected void configure(SocketChannel channel) throws IOException {
    }

    /** Whether a new socket may be opened now; if not, asked again a little later. */
    protected boolean mayOpen() {
        return true;
    }

    /** The socket is connected: send what this attacker sends first. */
    protected abstract void onConnected() throws IOException;

    /** Bytes (or the end of the stream) can be read; read them with {@link #read}. */
    protected abstract void onReadable() throws IOException;

    /** The run ends ({@code connected}: with a connected socket, about to be closed). */
    protected void atEnd(boolean connected) {
    }

    /** The socket was just closed, by either side: what is counted per connection is added up here. */
    protected void socketClosed() {
    }

    /** The timer set with {@link #schedule} is due and the socket is open. */
    protected void onTimer() throws IOException {
    }

    /**
     * The socket ended without this attacker closing it: end of stream, a reset, or a failed write.
     * The socket is closed already; say when to open the next one ({@link #reopen}).
     */
    protected abstract void onEnded(boolean reset);

    // ---- for subclasses

    protected final boolean isOpen() {
        return channel != null;
    }

    protected final long aliveNanos() {
        return System.nanoTime() - connectedNanos;
    }

    /** Reads into {@code buffer}; -1 at the end of the stream. */
    protected final int read(ByteBuffer buffer) throws IOException {
        return channel.read(buffer);
    }

    protected final void write(ByteBuffer buffer) throws IOException {
        out.write(channel, key, buffer);
    }

    /**
     * A stalled reader reads again, for at most {@code nanos} (its timer): with a large receive buffer, since
     * megabytes queued for it drain slowly through a 4 KiB window.
     */
    protected final void readAgain(long nanos) {
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        } catch (IOException | RuntimeException e) {
            // drains more slowly
        }
        reading(true);
        schedule(System.nanoTime() + nanos);
    }

    /** Stops (false) or resumes (true) reading: a stalled reader's socket fills up. */
    protected final void reading(boolean on) {
        if (key != null && key.isValid()) {
            key.interestOps(on ? key.interestOps() | SelectionKey.OP_READ : key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /** Closes the socket; with {@code reset}, abruptly (SO_LINGER 0: an RST, no FIN, no close frame). Cancels the timer. */
    protected final void closeSocket(boolean reset) {
        if (channel == null) {
            return;
        }
        timerAt = 0;
        try {
            if (reset) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
        channel = null;
        key = null;
        out.clear();
        socketClosed();
    }

    /** Opens the next socket after {@code delayNanos}. */
    protected final void reopen(long delayNanos) {
        schedule(System.nanoTime() + delayNanos);
    }

    /** Opens the next socket after a random backoff (a refusal, a failed connect). */
    protected final void reopenLater() {
        reopen(BACKOFF_MIN_NANOS + ThreadLocalRandom.current().nextLong(BACKOFF_SPREAD_NANOS));
    }

    /** Sets this attacker's one timer (replacing any other). */
    protected final void schedule(long at) {
        timerAt = at;
        loop.schedule(this, at);
    }

    // ---- called by the loop

    final void timerFired(long at) {
        if (at != timerAt) {
            return; // replaced or cancelled
        }
        timerAt = 0;
        try {
            if (channel == null) {
                open();
            } else {
                onTimer();
            }
        } catch (IOException | RuntimeException e) {
            gone();
        }
    }

    final void ready(SelectionKey selected) {
        try {
            if (!selected.isValid()) {
                return;
            }
            if (selected.isConnectable()) {
                if (!channel.finishConnect()) {
                    return;
                }
                connected();
            }
            if (selected.isValid() && selected.isReadable()) {
                onReadable();
            }
            if (selected.isValid() && selected.isWritable()) {
                flush();
            }
        } catch (IOException | RuntimeException e) {
            if (channel != null && connectedNanos == 0) {
                loop.connectFailed(e.toString());
                closeSocket(false);
                reopenLater();
            } else {
                gone();
            }
        }
    }

    /** The loop stops: the socket is closed. */
    final void finish() {
        atEnd(channel != null && connectedNanos > 0);
        closeSocket(false);
    }

    private void open() throws IOException {
        if (!mayOpen()) {
            reopen(20_000_000L);
            return;
        }
        connectedNanos = 0;
        SocketChannel opening = null;
        try {
            opening = SocketChannel.open();
            opening.configureBlocking(false);
            configure(opening);
            channel = opening;
            boolean done = opening.connect(loop.server());
            key = opening.register(loop.selector(), done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (done) {
                connected();
            }
        } catch (IOException e) {
            loop.connectFailed(e.toString());
            if (channel == null && opening != null) {
                opening.close();
            }
            closeSocket(false);
            reopenLater();
        }
    }

    private void connected() throws IOException {
        connectedNanos = System.nanoTime();
        key.interestOps(SelectionKey.OP_READ);
        onConnected();
    }

    private void flush() throws IOException {
        out.flush(channel, key);
    }

    /** The socket failed under us (a reset, a write to a closed socket). */
    private void gone() {
        if (channel == null) {
            return;
        }
        closeSocket(false);
        onEnded(true);
    }

    /** For subclasses: the read returned -1. */
    protected final void ended() {
        closeSocket(false);
        onEnded(false);
    }
}

package io.switchboard.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * An SSE client of the room that reads the response head and then nothing, with a tiny receive
 * buffer; its stream carries the ballast room too, whose large events fill the kernel's buffers
 * within seconds. After {@code holdNanos} it reads again to see whether the hub has ended the stream (the
 * last chunk, or the socket closed), then connects again.
 */
final class StalledStream extends Attacker {
    /** Reading again, with a larger receive buffer (a 4 KiB window takes seconds to drain megabytes): how long until it counts as not ended. */
    private static final long DRAIN_NANOS = 5_000_000_000L;
    private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Phase { REQUESTED, STALLED, DRAINING }

    private final StallTally tally;
    private final String rooms;
    private final long holdNanos;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final byte[] tail = new byte[LAST_CHUNK.length];
    private Phase phase;

    StalledStream(AttackLoop loop, StallTally tally, String room, String ballast, double holdSeconds) {
        super(loop);
        this.tally = tally;
        this.rooms = room + "," + ballast;
        this.holdNanos = (long) (holdSeconds * 1e9);
    }

    @Override
    protected void configure(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, StalledWebSocket.RECEIVE_BUFFER);
    }

    @Override
    protected void onConnected() throws IOException {
        tally.openings.connected++;
        phase = Phase.REQUESTED;
        in.clear();
        java.util.Arrays.fill(tail, (byte) 0);
        write(ByteBuffer.wrap(("GET /sse?rooms=" + rooms + " HTTP/1.1\r\nHost: " + loop.server().getHostString() + ":"
                + loop.server().getPort() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    protected void onReadable() throws IOException {
        in.clear();
        int n = read(in);
        if (n < 0) {
            ended();
            return;
        }
        in.flip();
        if (phase == Phase.REQUESTED) {
            ResponseHead head = ResponseHead.read(in);
            if (head == null) {
                return; // the head is far shorter than the buffer; it comes whole on loopback
            }
            if (!head.is(200)) {
                tally.openings.notAnswered++;
                closeSocket(true);
                reopenLater();
                return;
            }
            tally.subscribed++;
            phase = Phase.STALLED;
            reading(false);
            schedule(System.nanoTime() + holdNanos);
        } else if (phase == Phase.DRAINING && lastChunkIn(in)) {
            tally.cut("the stream's last chunk");
            closeSocket(false);
            reopen(0);
        }
    }

    /** Whether the bytes read so far end with the chunked body's last chunk. */
    private boolean lastChunkIn(ByteBuffer read) {
        int n = read.remaining();
        byte[] a = read.array();
        int from = read.position();
        if (n >= tail.length) {
            System.arraycopy(a, from + n - tail.length, tail, 0, tail.length);
        } else {
            System.arraycopy(tail, n, tail, 0, tail.length - n);
            System.arraycopy(a, from, tail, tail.length - n, n);
        }
        return java.util.Arrays.equals(tail, LAST_CHUNK);
    }

    @Override
    protected void onTimer() {
        if (phase == Phase.STALLED) {
            phase = Phase.DRAINING;
            readAgain(DRAIN_NANOS);
        } else {
            tally.notCut++;
            closeSocket(true);
            reopen(0);
        }
    }

    @Override
    protected void onEnded(boolean reset) {
        if (phase == Phase.REQUESTED) {
            tally.openings.endedUnanswered(aliveNanos());
            reopenLater();
            return;
        }
        tally.cut(phase == Phase.DRAINING ? "socket closed" : "ended while stalled");
        reopen(0);
    }
}

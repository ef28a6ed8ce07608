package io.switchboard.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * A WebSocket client of the room that stops reading once it has joined, with a tiny receive buffer:
 * once the kernel's buffers are full the hub's writes to it block and its queue fills. It joins a
 * second room too, the ballast, whose large events fill those buffers within seconds. After
 * {@code holdNanos} it reads again to see whether the hub has ended it (a close frame, or the socket
 * closed), then connects again. It never answers the hub's close frame.
 */
final class StalledWebSocket extends WsAttacker {
    static final int RECEIVE_BUFFER = 4096;
    /** How long the hub has to close the socket after its close frame was read (and left unanswered). */
    private static final long AFTER_CLOSE_NANOS = 3_000_000_000L;
    /** Reading again, with a larger receive buffer (a 4 KiB window takes seconds to drain megabytes): how long until it counts as not ended. */
    private static final long DRAIN_NANOS = 5_000_000_000L;

    private enum Phase { JOINING, STALLED, DRAINING }

    private final StallTally tally;
    private final String room;
    private final String ballast;
    private final long holdNanos;
    private Phase phase;
    private int joined;
    private boolean disconnectSeen;

    StalledWebSocket(AttackLoop loop, WireCheck wire, StallTally tally, String room, String ballast, double holdSeconds) {
        super(loop, wire, tally.openings, "/ws");
        this.tally = tally;
        this.room = room;
        this.ballast = ballast;
        this.holdNanos = (long) (holdSeconds * 1e9);
    }

    @Override
    protected void configure(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
    }

    @Override
    protected void onConnected() throws IOException {
        phase = Phase.JOINING;
        joined = 0;
        disconnectSeen = false;
        super.onConnected();
    }

    @Override
    protected void onUpgraded() {
    }

    @Override
    protected void onFrame(int opcode, byte[] a, int offset, int length) throws IOException {
        if (opcode == WsCodec.OP_CLOSE && phase == Phase.DRAINING) {
            // The hub ended it; the reader stays deaf to the close frame, to see whether the hub closes the socket.
            tally.cut((disconnectSeen ? "disconnect, " : "") + "close " + closeCode);
            schedule(System.nanoTime() + AFTER_CLOSE_NANOS);
            return;
        }
        if (opcode != WsCodec.OP_TEXT) {
            return;
        }
        if (phase == Phase.JOINING) {
            if (startsWith(a, offset, length, "{\"type\":\"connected\"")) {
                sendText("{\"type\":\"join\",\"data\":{\"room\":\"" + room + "\"}}");
                sendText("{\"type\":\"join\",\"data\":{\"room\":\"" + ballast + "\"}}");
            } else if (startsWith(a, offset, length, "{\"type\":\"joined\"") && ++joined == 2) {
                tally.subscribed++;
                phase = Phase.STALLED;
                reading(false);
                schedule(System.nanoTime() + holdNanos);
            }
        } else if (startsWith(a, offset, length, "{\"type\":\"disconnect\"")) {
            disconnectSeen = true;
        }
    }

    @Override
    protected void onTimer() {
        if (phase == Phase.STALLED) {
            phase = Phase.DRAINING;
            readAgain(DRAIN_NANOS);
        } else {
            if (closeCode >= 0) {
                tally.leftOpen++;
            } else {
                tally.notCut++;
            }
            closeSocket(true);
            reopen(0);
        }
    }

    @Override
    protected void onClosed(boolean reset) {
        if (phase == Phase.DRAINING) {
            if (closeCode < 0) {
                tally.cut((disconnectSeen ? "disconnect, " : "") + "socket closed, no close frame");
            }
        } else if (phase == Phase.STALLED) {
            tally.cut("ended while stalled");
        } else {
            tally.openings.notAnswered++; // upgraded, never joined
        }
        reopen(0);
    }
}

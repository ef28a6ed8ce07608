package io.switchboard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A hostile client that upgrades to WebSocket: it sends the upgrade, reads the answer, then reads
 * every byte after the {@code 101} with {@link ServerFrames} — so whatever it does, it also checks
 * that the hub writes nothing but WebSocket frames on an upgraded connection ({@link WireCheck}).
 * It answers pings unless it stops reading.
 */
abstract class WsAttacker extends Attacker {
    /** What every WebSocket attacker saw on the wire after a {@code 101}; one per run, touched by the loop thread. */
    static final class WireCheck {
        long upgraded;
        /** Connections on which something other than a server frame arrived after the 101. */
        long notFrames;
        String firstNotFrames;
        /** Frames that arrived after the hub's close frame. */
        long afterClose;
        long connectionsWithFramesAfterClose;
    }

    private final WireCheck wire;
    private final Openings openings;
    private final String path;
    private ByteBuffer in = ByteBuffer.allocate(4096);
    private ServerFrames frames;
    private String key;
    /** Whether the 101 came; until then bytes are the response head. */
    protected boolean upgraded;
    /** The close code of the hub's close frame on this connection, or -1. */
    protected int closeCode = -1;

    WsAttacker(AttackLoop loop, WireCheck wire, Openings openings, String path) {
        super(loop);
        this.wire = wire;
        this.openings = openings;
        this.path = path;
    }

    /** The 101 arrived. */
    protected abstract void onUpgraded() throws IOException;

    /** The socket ended after the 101 without this attacker closing it (end of stream, a reset, a failed write). */
    protected abstract void onClosed(boolean reset);

    @Override
    protected final void onEnded(boolean reset) {
        if (upgraded) {
            onClosed(reset);
        } else {
            openings.endedUnanswered(aliveNanos()); // refused at the socket cap, or reset while upgrading
            reopenLater();
        }
    }

    /** One server frame (pings are answered before this is called). */
    protected abstract void onFrame(int opcode, byte[] a, int offset, int length) throws IOException;

    @Override
    protected void onConnected() throws IOException {
        openings.connected++;
        upgraded = false;
        closeCode = -1;
        frames = new ServerFrames();
        in.clear();
        key = WsCodec.newKey();
        write(WsCodec.upgradeRequest(loop.server().getHostString(), loop.server().getPort(), path, key));
    }

    @Override
    protected void onReadable() throws IOException {
        int n = read(in);
        if (n < 0) {
            ended();
            return;
        }
        in.flip();
        if (!upgraded) {
            ResponseHead head = ResponseHead.read(in);
            if (head == null) {
                in.compact();
                if (in.position() > 16 * 1024) {
                    notAnswered();
                }
                return;
            }
            if (!head.upgraded(key)) {
                notAnswered();
                return;
            }
            upgraded = true;
            wire.upgraded++;
            onUpgraded();
            if (!isOpen()) {
                return;
            }
        }
        boolean fine = frames.read(in, this::handle);
        if (!isOpen()) {
            return;
        }
        if (!fine) {
            notFrames();
            return;
        }
        int needed = ServerFrames.needed(in);
        in.compact();
        if (needed > in.capacity() || in.position() == in.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
            in.flip();
            bigger.put(in);
            in = bigger;
        }
    }

    /** The answer to the upgrade was not a 101. */
    private void notAnswered() {
        openings.notAnswered++;
        closeSocket(true);
        reopenLater();
    }

    /** Sends a masked text frame. */
    protected final void sendText(String text) throws IOException {
        write(WsCodec.text(text));
    }

    protected static boolean startsWith(byte[] a, int offset, int length, String prefix) {
        return length >= prefix.length()
                && new String(a, offset, prefix.length(), StandardCharsets.ISO_8859_1).equals(prefix);
    }

    private void handle(boolean fin, int opcode, byte[] a, int offset, int length) {
        if (!isOpen()) {
            return;
        }
        try {
            if (opcode == WsCodec.OP_CLOSE && closeCode < 0) {
                closeCode = length >= 2 ? ((a[offset] & 0xFF) << 8) | (a[offset + 1] & 0xFF) : 1005;
            }
            if (opcode == WsCodec.OP_PING && closeCode < 0) {
                write(WsCodec.frame(WsCodec.OP_PONG, java.util.Arrays.copyOfRange(a, offset, offset + length)));
            }
            if (isOpen()) {
                onFrame(opcode, a, offset, length);
            }
        } catch (IOException e) {
            closeSocket(false);
            onClosed(true);
        }
    }

    private void notFrames() {
        wire.notFrames++;
        if (wire.firstNotFrames == null) {
            wire.firstNotFrames = frames.broken;
        }
        closeSocket(true);
        onClosed(false);
    }

    /** Adds this connection's frames after the close frame to the tally, once, as it ends. */
    @Override
    protected void socketClosed() {
        if (frames != null && frames.afterClose > 0) {
            wire.afterClose += frames.afterClose;
            wire.connectionsWithFramesAfterClose++;
        }
        frames = null;
    }
}

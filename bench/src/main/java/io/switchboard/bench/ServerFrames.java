package io.switchboard.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A strict reader of what a server sends after its {@code 101}: RFC 6455 server frames and nothing
 * else — no mask, no RSV bit (no extension is negotiated), a known opcode, control frames final and
 * at most 125 bytes, no frame after the close frame. The first bytes that break a rule (an HTTP
 * answer written into the upgraded stream, say) are reported, not skipped.
 */
final class ServerFrames {
    /** What is done with each frame. */
    interface Handler {
        void frame(boolean fin, int opcode, byte[] a, int offset, int length);
    }

    static final int MAX_FRAME = 1 << 20;

    private boolean closed;
    /** Frames after the server's close frame (RFC 6455 5.5.1: it sends none). */
    long afterClose;
    /** What broke the rules first, or null. */
    String broken;

    /**
     * Handles every complete frame in {@code in} (between position and limit; the position moves past
     * them); returns false once the bytes are not server frames ({@link #broken} says why). Bytes
     * after that are not read.
     */
    boolean read(ByteBuffer in, Handler handler) {
        byte[] a = in.array();
        while (broken == null) {
            int p = in.position();
            int available = in.remaining();
            if (available < 2) {
                return true;
            }
            int b0 = a[p] & 0xFF;
            int b1 = a[p + 1] & 0xFF;
            int opcode = b0 & 0x0F;
            if (startsWith(a, p, in.limit(), "HTTP/")) {
                return broken("an HTTP response after the 101", a, p, in.limit());
            }
            if ((b0 & 0x70) != 0) {
                return broken("RSV bits set", a, p, in.limit());
            }
            if (opcode >= 0x3 && opcode <= 0x7 || opcode >= 0xB) {
                return broken("reserved opcode " + opcode, a, p, in.limit());
            }
            if ((b1 & 0x80) != 0) {
                return broken("a masked server frame", a, p, in.limit());
            }
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (available < 4) {
                    return true;
                }
                length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (available < 10) {
                    return true;
                }
                length = in.getLong(p + 2);
                header = 10;
            }
            if (opcode >= 0x8 && ((b0 & 0x80) == 0 || length > 125)) {
                return broken("a fragmented or oversized control frame", a, p, in.limit());
            }
            if (length < 0 || length > MAX_FRAME) {
                return broken("a frame of " + length + " bytes", a, p, in.limit());
            }
            if (available < header + length) {
                return true;
            }
            in.position(p + header + (int) length);
            if (closed) {
                afterClose++;
            }
            if (opcode == WsCodec.OP_CLOSE) {
                closed = true;
            }
            handler.frame((b0 & 0x80) != 0, opcode, a, p + header, (int) length);
        }
        return false;
    }

    /** The room the next frame needs in the buffer, for a caller that grows it: 0 when it fits. */
    static int needed(ByteBuffer in) {
        if (in.remaining() < 10) {
            return 0;
        }
        int p = in.position();
        int b1 = in.get(p + 1) & 0x7F;
        long length = b1 < 126 ? b1 : b1 == 126 ? in.getShort(p + 2) & 0xFFFF : in.getLong(p + 2);
        return length > MAX_FRAME ? 0 : (int) length + 10;
    }

    private boolean broken(String why, byte[] a, int from, int to) {
        StringBuilder shown = new StringBuilder();
        for (int i = from; i < Math.min(to, from + 40); i++) {
            int c = a[i] & 0xFF;
            shown.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        broken = why + ": '" + shown + "'";
        return false;
    }

    private static boolean startsWith(byte[] a, int from, int to, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (to - from < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (a[from + i] != p[i]) {
                return false;
            }
        }
        return true;
    }
}

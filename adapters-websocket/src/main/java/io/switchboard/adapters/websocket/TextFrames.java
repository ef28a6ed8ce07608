package io.switchboard.adapters.websocket;

import java.nio.charset.StandardCharsets;

/**
 * Encodes text frames as a server sends them (FIN, opcode text, unmasked, RFC 6455 5.2), and keeps
 * the last few encodings: a fan-out renders one frame string per event and hands that same string to
 * every subscriber's writer, so it is encoded once per event instead of once per subscriber.
 */
final class TextFrames {
    private static final int SLOTS = 64;
    private static final Encoded[] RECENT = new Encoded[SLOTS];

    private TextFrames() {
    }

    private record Encoded(String text, byte[] frame) {
    }

    /** The whole frame (header and UTF-8 payload) for {@code text}; callers must not modify it. */
    static byte[] frame(String text) {
        int slot = System.identityHashCode(text) & (SLOTS - 1);
        Encoded recent = RECENT[slot]; // a racy read of an immutable record: at worst a miss
        if (recent != null && recent.text == text) {
            return recent.frame;
        }
        byte[] frame = encode(text);
        RECENT[slot] = new Encoded(text, frame);
        return frame;
    }

    static byte[] encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81; // FIN, text
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            long length = n; // shifted as a long: an int shift by 56 would wrap to 24
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }
}

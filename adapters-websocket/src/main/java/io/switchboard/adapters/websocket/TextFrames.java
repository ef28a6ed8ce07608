package io.switchboard.adapters.websocket;

import java.nio.charset.StandardCharsets;

/**
 * Encodes text frames as a server sends them (FIN, opcode text, unmasked, RFC 6455 5.2). An event's
 * frame is encoded once per fan-out: sinks keep the encoding on the shared
 * {@link io.switchboard.application.hub.Frame}.
 */
final class TextFrames {

    private TextFrames() {
    }

    static byte[] encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        byte[] frame = new byte[headerLength(n) + n];
        System.arraycopy(payload, 0, frame, writeHeader(frame, 0, n), n);
        return frame;
    }

    /** How many bytes the header of a frame with {@code payloadLength} bytes of payload takes. */
    static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
    }

    /** Where the payload of an encoded {@code frame} starts. */
    static int payloadOffset(byte[] frame) {
        int length = frame[1] & 0x7f;
        return length < 126 ? 2 : length == 126 ? 4 : 10;
    }

    /** Writes the header of a text frame with {@code payloadLength} bytes at {@code at}; returns where the payload goes. */
    static int writeHeader(byte[] target, int at, int payloadLength) {
        target[at] = (byte) 0x81; // FIN, text
        if (payloadLength < 126) {
            target[at + 1] = (byte) payloadLength;
            return at + 2;
        }
        if (payloadLength < 65536) {
            target[at + 1] = 126;
            target[at + 2] = (byte) (payloadLength >>> 8);
            target[at + 3] = (byte) payloadLength;
            return at + 4;
        }
        target[at + 1] = 127;
        long length = payloadLength; // shifted as a long: an int shift by 56 would wrap to 24
        for (int i = 0; i < 8; i++) {
            target[at + 2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        return at + 10;
    }
}

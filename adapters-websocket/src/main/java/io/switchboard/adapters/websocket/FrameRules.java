package io.switchboard.adapters.websocket;

/**
 * RFC 6455's rules for the frames a client sends, checked byte by byte as they arrive, before Helidon
 * reads them: Helidon 4.5.0 answers a reserved opcode with an HTTP 500 written into the upgraded
 * stream, a 1-byte close payload with 1011 and an internal message, and lets fragmented or oversized
 * control frames, stray continuations, interleaved messages and invalid UTF-8 through. A frame longer
 * than its frame limit Helidon closes with 1009 from its reader, while the connection's writer may
 * still send (frames after the close frame) and the hub, not told, counts 1006: here it is refused
 * with 1009 like any broken rule. The first broken rule is reported with the close code the RFC gives
 * it; the stream is not read further.
 *
 * <p>One instance per connection, used by its reader thread only.
 */
final class FrameRules {
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_DATA = 1007;
    static final int TOO_BIG = 1009;

    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;

    private enum Part { FIRST, SECOND, LENGTH, MASK, PAYLOAD }

    /** A broken rule: the close code to answer and what was wrong. */
    record Violation(int code, String reason) {
    }

    /** Told the frames of a fragmented text message, payload unmasked, once each has passed every rule. */
    interface TextFragments {
        void payload(byte unmasked);

        void end(int opcode, boolean fin);
    }

    private Part part = Part.FIRST;
    private int opcode;
    private boolean fin;
    private int lengthBytesLeft;
    private long payloadLeft;
    private long payloadLength;
    private final byte[] mask = new byte[4];
    private int maskIndex;
    private long payloadIndex;
    /** The data message in progress, {@code OP_TEXT} or {@code OP_BINARY}, or -1 between messages. */
    private int message = -1;
    private final Utf8Check text = new Utf8Check();
    private final Utf8Check closeReason = new Utf8Check();
    private int closeCode;
    private Violation violation;
    private final TextFragments fragments;
    /** Whether the current frame belongs to a fragmented text message (told to {@link #fragments}). */
    private boolean textFragment;
    private final long maxFrameLength;

    /** Rules without a frame length limit of their own, telling no one of text fragments. */
    FrameRules() {
        this(null, Long.MAX_VALUE);
    }

    /**
     * @param fragments      told the frames of fragmented text messages, or {@code null}
     * @param maxFrameLength the longest payload one frame may declare (Helidon's {@code max-frame-length})
     */
    FrameRules(TextFragments fragments, long maxFrameLength) {
        this.fragments = fragments;
        this.maxFrameLength = maxFrameLength;
    }

    /** The rule the stream broke, once it has; nothing after it is checked. */
    Violation violation() {
        return violation;
    }

    /** Whether a frame has been started and not finished: its first byte is at or before the last one fed. */
    boolean insideFrame() {
        return part != Part.FIRST;
    }

    /** Whether the frame of the last byte fed belongs to a fragmented text message. */
    boolean textFragment() {
        return textFragment;
    }

    /** Checks the next byte of the client's stream; {@code false} once a rule is broken. */
    boolean feed(byte b) {
        if (violation != null) {
            return false;
        }
        switch (part) {
            case FIRST -> first(b & 0xFF);
            case SECOND -> second(b & 0xFF);
            case LENGTH -> {
                payloadLength = (payloadLength << 8) | (b & 0xFF);
                if (--lengthBytesLeft == 0) {
                    lengthKnown();
                }
            }
            case MASK -> {
                mask[maskIndex++] = b;
                if (maskIndex == 4) {
                    startPayload();
                }
            }
            case PAYLOAD -> payload((byte) (b ^ mask[(int) (payloadIndex++ & 3)]));
        }
        return violation == null;
    }

    private void first(int b) {
        fin = (b & 0x80) != 0;
        opcode = b & 0x0F;
        if ((b & 0x70) != 0) {
            fail(PROTOCOL_ERROR, "reserved bits set without an extension");
        } else if (opcode >= 0x3 && opcode <= 0x7 || opcode >= 0xB) {
            fail(PROTOCOL_ERROR, "reserved opcode 0x" + Integer.toHexString(opcode));
        } else if (opcode >= OP_CLOSE && !fin) {
            fail(PROTOCOL_ERROR, "a control frame may not be fragmented");
        } else if (opcode == OP_CONTINUATION && message < 0) {
            fail(PROTOCOL_ERROR, "a continuation frame without a message to continue");
        } else if ((opcode == OP_TEXT || opcode == OP_BINARY) && message >= 0) {
            fail(PROTOCOL_ERROR, "a new message inside a fragmented one");
        } else {
            textFragment = opcode == OP_TEXT && !fin || opcode == OP_CONTINUATION && message == OP_TEXT;
            part = Part.SECOND;
        }
    }

    private void second(int b) {
        if ((b & 0x80) == 0) {
            fail(PROTOCOL_ERROR, "a client frame must be masked");
            return;
        }
        int length = b & 0x7F;
        payloadLength = 0;
        if (length < 126) {
            payloadLength = length;
            lengthKnown();
        } else {
            lengthBytesLeft = length == 126 ? 2 : 8;
            part = Part.LENGTH;
        }
    }

    private void lengthKnown() {
        if (payloadLength < 0) {
            fail(PROTOCOL_ERROR, "a payload length with its most significant bit set");
        } else if (opcode >= OP_CLOSE && payloadLength > 125) {
            fail(PROTOCOL_ERROR, "a control frame's payload is at most 125 bytes");
        } else if (payloadLength > maxFrameLength) {
            fail(TOO_BIG, "a frame of " + payloadLength + " bytes, over the limit of " + maxFrameLength);
        } else if (opcode == OP_CLOSE && payloadLength == 1) {
            fail(PROTOCOL_ERROR, "a close frame's payload is empty or starts with a 2-byte status code");
        } else {
            maskIndex = 0;
            part = Part.MASK;
        }
    }

    private void startPayload() {
        payloadIndex = 0;
        payloadLeft = payloadLength;
        closeCode = 0;
        if (opcode == OP_TEXT || opcode == OP_BINARY) {
            message = opcode;
            text.reset();
        } else if (opcode == OP_CLOSE) {
            closeReason.reset();
        }
        part = Part.PAYLOAD;
        if (payloadLeft == 0) {
            endFrame();
        }
    }

    private void payload(byte b) {
        if (opcode == OP_CLOSE) {
            if (payloadIndex <= 2) {
                closeCode = (closeCode << 8) | (b & 0xFF);
            } else if (!closeReason.accept(b)) {
                fail(INVALID_DATA, "a close reason that is not UTF-8");
                return;
            }
        } else if (message == OP_TEXT && opcode != OP_PING && opcode != OP_PONG && !text.accept(b)) {
            fail(INVALID_DATA, "a text message that is not UTF-8");
            return;
        }
        if (textFragment && fragments != null) {
            fragments.payload(b);
        }
        if (--payloadLeft == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        if (opcode == OP_CLOSE && payloadLength >= 2) {
            if (!validCloseCode(closeCode)) {
                fail(PROTOCOL_ERROR, "close code " + closeCode + " may not be sent");
                return;
            }
            if (!closeReason.complete()) {
                fail(INVALID_DATA, "a close reason that is not UTF-8");
                return;
            }
        }
        if (fin && (opcode == OP_TEXT || opcode == OP_BINARY || opcode == OP_CONTINUATION)) {
            if (message == OP_TEXT && !text.complete()) {
                fail(INVALID_DATA, "a text message that is not UTF-8");
                return;
            }
            message = -1;
        }
        if (textFragment && fragments != null) {
            fragments.end(opcode, fin);
        }
        part = Part.FIRST;
    }

    /** RFC 6455 7.4: the codes an endpoint may send in a close frame. */
    private static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1011 || code >= 3000 && code <= 4999;
    }

    private void fail(int code, String reason) {
        violation = new Violation(code, reason);
    }

    /** Whether bytes, fed one by one across frames, are well-formed UTF-8 (RFC 3629: no overlongs, surrogates or values past U+10FFFF). */
    static final class Utf8Check {
        private int needed;
        private int lower = 0x80;
        private int upper = 0xBF;

        void reset() {
            needed = 0;
            lower = 0x80;
            upper = 0xBF;
        }

        boolean accept(byte value) {
            int b = value & 0xFF;
            if (needed == 0) {
                if (b <= 0x7F) {
                    return true;
                }
                if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    lower = b == 0xE0 ? 0xA0 : 0x80;
                    upper = b == 0xED ? 0x9F : 0xBF;
                    needed = 2;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    lower = b == 0xF0 ? 0x90 : 0x80;
                    upper = b == 0xF4 ? 0x8F : 0xBF;
                    needed = 3;
                } else {
                    return false;
                }
                return true;
            }
            if (b < lower || b > upper) {
                return false;
            }
            lower = 0x80;
            upper = 0xBF;
            needed--;
            return true;
        }

        /** Whether no character is cut off. */
        boolean complete() {
            return needed == 0;
        }
    }
}

package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.DataReader;
import io.helidon.websocket.WsSession;
import io.switchboard.application.logging.OncePerSecond;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The bytes an upgraded WebSocket connection reads, passed through {@link FrameRules} on their way to
 * Helidon's frame reader. At the first broken rule the client is told the RFC's close code (1002, 1007
 * for invalid UTF-8, 1009 for a frame over the frame limit), the hub counts the connection closed with it, and the reader sees the end
 * of the stream: Helidon never reads the broken frame, so it writes no HTTP error into the upgraded
 * stream and logs no stack trace. One log line per second at most says what was broken.
 *
 * <p>The frames of a fragmented text message are re-framed on character boundaries on the way (a
 * character cut between two fragments moves whole into the next one): Helidon decodes each fragment
 * as UTF-8 by itself, so a cut character would otherwise arrive as two replacement characters. Every
 * other frame passes as it came.
 */
final class CheckedFrames implements Supplier<byte[]>, FrameRules.TextFragments {
    private static final System.Logger LOG = System.getLogger(CheckedFrames.class.getName());
    private static final OncePerSecond LOG_LINES = new OncePerSecond();

    private final DataReader source;
    private final String peer;
    private final FrameRules rules;
    /** The bytes handed to Helidon from the current chunk once a text fragment was met in it (else the chunk as it is). */
    private byte[] out;
    private int outLength;
    /** The current text fragment's payload, unmasked, and the start of a character the previous fragment cut. */
    private byte[] fragment = new byte[0];
    private int fragmentLength;
    private WsSession session;
    private HubListener listener;

    /** @param maxFrameLength the longest frame Helidon reads ({@code WsConfig.maxFrameLength()}) */
    CheckedFrames(DataReader source, String peer, long maxFrameLength) {
        this.source = source;
        this.peer = peer;
        this.rules = new FrameRules(this, maxFrameLength);
    }

    /** The session and listener told about a broken rule; set once the upgrade is answered, before the first read. */
    void watch(WsSession session, HubListener listener) {
        this.session = session;
        this.listener = listener;
    }

    @Override
    public byte[] get() {
        while (rules.violation() == null) {
            byte[] chunk;
            try {
                source.ensureAvailable();
                chunk = source.readBytes(source.available());
            } catch (DataReader.InsufficientDataAvailableException e) {
                return null; // the client closed the socket
            }
            byte[] checked = check(chunk);
            if (checked == null || checked.length > 0) {
                return checked;
            }
            // everything read so far belongs to a text fragment not yet complete: read on
        }
        return null;
    }

    /** The bytes of {@code chunk} Helidon may read: empty while a text fragment is incomplete, null after a broken rule. */
    private byte[] check(byte[] chunk) {
        out = null;
        outLength = 0;
        int frameStart = rules.insideFrame() ? -1 : 0; // in the bytes handed on, which equal the chunk's until a fragment is met
        for (int i = 0; i < chunk.length; i++) {
            if (!rules.insideFrame()) {
                frameStart = out == null ? i : outLength;
            } else if (rules.textFragment() && out == null) {
                holdFrom(chunk, i); // a held fragment goes on: it may end with this byte
            }
            if (!rules.feed(chunk[i])) {
                refuse(rules.violation());
                // the frames before the broken one are still read; the broken one never is
                byte[] before = out == null ? chunk : out;
                return frameStart > 0 ? Arrays.copyOf(before, frameStart) : null;
            }
            if (rules.textFragment()) {
                if (out == null) {
                    holdFrom(chunk, i);
                }
            } else if (out != null) {
                append(chunk[i]);
            }
        }
        return out == null ? chunk : Arrays.copyOf(out, outLength);
    }

    /** From byte {@code i} of {@code chunk} on, the bytes handed on are built in {@link #out}; those before pass as they came. */
    private void holdFrom(byte[] chunk, int i) {
        out = Arrays.copyOf(chunk, chunk.length + 16);
        outLength = i;
    }

    @Override
    public void payload(byte unmasked) {
        if (fragmentLength == fragment.length) {
            fragment = Arrays.copyOf(fragment, Math.max(64, 2 * fragmentLength));
        }
        fragment[fragmentLength++] = unmasked;
    }

    /** A text fragment is complete: it is handed on whole characters only, masked with a zero key. */
    @Override
    public void end(int opcode, boolean fin) {
        int keep = fin ? fragmentLength : fragmentLength - cutCharacter(fragment, fragmentLength);
        append((byte) ((fin ? 0x80 : 0) | opcode));
        if (keep < 126) {
            append((byte) (0x80 | keep));
        } else if (keep < 65536) {
            append((byte) (0x80 | 126));
            append((byte) (keep >>> 8));
            append((byte) keep);
        } else {
            append((byte) (0x80 | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                append((byte) ((long) keep >>> shift));
            }
        }
        for (int i = 0; i < 4; i++) {
            append((byte) 0); // the mask: the payload is sent as it reads
        }
        for (int i = 0; i < keep; i++) {
            append(fragment[i]);
        }
        System.arraycopy(fragment, keep, fragment, 0, fragmentLength - keep);
        fragmentLength -= keep;
    }

    /** How many bytes at the end of {@code bytes} start a character that does not end there (0 to 3). */
    static int cutCharacter(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xFF;
            if ((b & 0xC0) != 0x80) { // a character's first byte
                int size = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return size > back ? back : 0;
            }
        }
        return 0;
    }

    private void append(byte b) {
        if (outLength == out.length) {
            out = Arrays.copyOf(out, 2 * out.length + 16);
        }
        out[outLength++] = b;
    }

    private void refuse(FrameRules.Violation violation) {
        log(violation);
        if (listener != null) {
            listener.transportEnded(violation.code());
        }
        if (session != null) {
            try {
                session.close(violation.code(), violation.reason());
            } catch (RuntimeException e) {
                // the client is gone already
            }
        }
    }

    private void log(FrameRules.Violation violation) {
        LOG_LINES.pass().ifPresent(more -> LOG.log(System.Logger.Level.INFO, "WebSocket protocol error ip={0}: {1}, closed with {2}{3}",
                peer, violation.reason(), String.valueOf(violation.code()), more));
    }
}

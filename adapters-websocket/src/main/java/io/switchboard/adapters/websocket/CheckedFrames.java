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
 */
final class CheckedFrames implements Supplier<byte[]> {
    private static final System.Logger LOG = System.getLogger(CheckedFrames.class.getName());
    private static final OncePerSecond LOG_LINES = new OncePerSecond();

    private final DataReader source;
    private final String peer;
    private final FrameRules rules;
    private WsSession session;
    private HubListener listener;

    /** @param maxFrameLength the longest frame Helidon reads ({@code WsConfig.maxFrameLength()}) */
    CheckedFrames(DataReader source, String peer, long maxFrameLength) {
        this.source = source;
        this.peer = peer;
        this.rules = new FrameRules(maxFrameLength);
    }

    /** The session and listener told about a broken rule; set once the upgrade is answered, before the first read. */
    void watch(WsSession session, HubListener listener) {
        this.session = session;
        this.listener = listener;
    }

    @Override
    public byte[] get() {
        if (rules.violation() != null) {
            return null;
        }
        byte[] chunk;
        try {
            source.ensureAvailable();
            chunk = source.readBytes(source.available());
        } catch (DataReader.InsufficientDataAvailableException e) {
            return null; // the client closed the socket
        }
        int frameStart = rules.insideFrame() ? -1 : 0;
        for (int i = 0; i < chunk.length; i++) {
            if (!rules.insideFrame()) {
                frameStart = i;
            }
            if (!rules.feed(chunk[i])) {
                refuse(rules.violation());
                // the frames before the broken one are still read; the broken one never is
                return frameStart > 0 ? Arrays.copyOf(chunk, frameStart) : null;
            }
        }
        return chunk;
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

package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;
import io.switchboard.application.hub.FrameSink;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes to one Helidon WebSocket session; only the connection's writer calls it.
 *
 * <p>Text frames are gathered until {@link #flush()} and written with one socket write: Helidon 4.0.5's
 * {@code WsSession.send(text, true)} writes (and flushes) every frame on its own, so a writer that found
 * 30 messages queued made 30 system calls. Helidon has no public way to write several frames at once,
 * so the sink writes the encoded frames to the connection's {@link DataWriter}, which it reads from
 * the session by reflection; if that fails (another Helidon version), it falls back to one
 * {@code send} per frame.
 */
final class SessionSink implements FrameSink {
    private static final System.Logger LOG = System.getLogger(SessionSink.class.getName());
    private static final int MAX_REASON_BYTES = 123;
    private static final byte[] PING_PAYLOAD = {'h', 'b'};
    /** Gathered frames are written once they reach this size, even before {@link #flush()}. */
    private static final int MAX_GATHERED_BYTES = 64 * 1024;
    /** A few dozen small frames; doubled as needed (one allocation per drain, so not larger). */
    private static final int INITIAL_GATHER_BYTES = 4 * 1024;
    private static final Field CONTEXT = contextField();

    private final WsSession session;
    private final DataWriter socket;
    /** The one frame gathered so far (shared with other sinks: never written into), or null. */
    private byte[] single;
    /** Two or more frames gathered, copied into a buffer of this sink's own; released at each flush. */
    private byte[] gathered;
    private int gatheredLength;

    SessionSink(WsSession session) {
        this.session = session;
        this.socket = dataWriter(session);
    }

    @Override
    public void text(String frame) {
        if (socket == null) {
            session.send(frame, true);
            return;
        }
        byte[] encoded = TextFrames.frame(frame);
        if (single == null && gatheredLength == 0) {
            single = encoded;
            return;
        }
        if (single != null) {
            append(single);
            single = null;
        }
        if (gatheredLength + encoded.length > MAX_GATHERED_BYTES) {
            flush();
            single = encoded;
            return;
        }
        append(encoded);
    }

    @Override
    public void flush() {
        if (single != null) {
            byte[] frame = single;
            single = null;
            socket.writeNow(BufferData.create(frame));
        } else if (gatheredLength > 0) {
            int length = gatheredLength;
            byte[] frames = gathered;
            gathered = null; // an idle connection keeps no buffer
            gatheredLength = 0;
            socket.writeNow(BufferData.create(frames, 0, length));
        }
    }

    /**
     * Pings carry a payload because clients echo it in their pong: Helidon 4.0.5 does not process a
     * frame with an empty payload until more bytes arrive, so an empty pong from an otherwise silent
     * client would be seen too late and the client closed with 4011.
     */
    @Override
    public void ping() {
        flush();
        session.ping(BufferData.create(PING_PAYLOAD));
    }

    @Override
    public void pong(byte[] payload) {
        flush();
        session.pong(BufferData.create(payload));
    }

    @Override
    public void close(int code, String reason) {
        flush();
        session.close(code, fitReason(reason));
    }

    /**
     * Closes the socket without writing anything. {@code terminate()} would first write a close frame,
     * which blocks the caller (the hub's timer) on exactly the stuck client being cut off, and then throw.
     */
    @Override
    public void abort() {
        if (session instanceof ServerConnection connection) {
            connection.close(true); // interrupts the connection's virtual thread, which closes its socket
        } else {
            session.terminate();
        }
    }

    private void append(byte[] frame) {
        int needed = gatheredLength + frame.length;
        if (gathered == null) {
            gathered = new byte[Math.max(needed, INITIAL_GATHER_BYTES)];
        } else if (needed > gathered.length) {
            gathered = Arrays.copyOf(gathered, Math.max(needed, Math.min(2 * gathered.length, MAX_GATHERED_BYTES)));
        }
        System.arraycopy(frame, 0, gathered, gatheredLength, frame.length);
        gatheredLength = needed;
    }

    /** A close reason may carry at most 123 bytes of UTF-8. */
    static String fitReason(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        String cut = reason.substring(0, Math.min(reason.length(), MAX_REASON_BYTES));
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    /** The socket writer under Helidon's session, or null to write through {@code WsSession.send}. */
    private static DataWriter dataWriter(WsSession session) {
        if (CONTEXT == null || !CONTEXT.getDeclaringClass().isInstance(session)) {
            return null;
        }
        try {
            return ((ConnectionContext) CONTEXT.get(session)).dataWriter();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field contextField() {
        try {
            Field field = Class.forName("io.helidon.webserver.websocket.WsConnection").getDeclaredField("ctx");
            if (!ConnectionContext.class.isAssignableFrom(field.getType())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "WebSocket frames are written one by one: " + e);
            return null;
        }
    }
}

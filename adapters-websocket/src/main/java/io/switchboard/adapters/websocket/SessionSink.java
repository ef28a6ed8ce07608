package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;
import io.switchboard.application.hub.Frame;
import io.switchboard.application.hub.FrameSink;
import io.switchboard.domain.CloseCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Writes to one Helidon WebSocket session; only the connection's writer calls it.
 *
 * <p>Text frames are gathered until {@link #flush()} and written with one socket write: Helidon's
 * {@code WsSession.send(text, true)} writes (and flushes) every frame on its own, so a writer that found
 * 30 messages queued would make 30 system calls. The sink writes the encoded frames to the connection's
 * {@link DataWriter} ({@code WsSession.socketContext()}, a {@link ConnectionContext} on the server).
 * Such writes bypass the session's send lock, so everything this connection sends, control frames
 * included, goes through this one sink on the connection's one writer thread.
 */
final class SessionSink implements FrameSink {
    private static final int MAX_REASON_BYTES = 123;
    private static final byte[] PING_PAYLOAD = {'h', 'b'};
    /** Gathered frames are written once they reach this size, even before {@link #flush()}. */
    private static final int MAX_GATHERED_BYTES = GatherBuffers.SIZE;
    /** One instance, so that every sink finds the encoding another sink left on a shared {@link Frame}. */
    private static final Function<String, byte[]> ENCODE = TextFrames::encode;

    /**
     * Set at construction or by {@link #attach} before the connection's writer first runs: the writer
     * starts from {@code Connection.transportOpened()}, called after {@code attach} on the same thread.
     */
    private WsSession session;
    private DataWriter socket;
    /** The one frame gathered so far (shared with other sinks: never written into), or null. */
    private byte[] single;
    /** Two or more frames gathered, copied into a {@link GatherBuffers} buffer; handed back at each flush. */
    private byte[] gathered;
    private int gatheredLength;
    /** Shutdown and heartbeat-timeout closes drop the TCP connection instead of a close handshake. */
    private final boolean abruptEnds;

    SessionSink(WsSession session) {
        this.abruptEnds = false;
        attach(session);
    }

    /**
     * A sink for a connection registered before its upgrade is answered; {@link #attach} it once the session exists.
     *
     * @param closeStyle how closes on shutdown and heartbeat timeout end the connection
     */
    SessionSink(WebSocketEndpoint.CloseStyle closeStyle) {
        this.abruptEnds = closeStyle == WebSocketEndpoint.CloseStyle.ABRUPT;
    }

    /** The session this sink writes to, once the upgrade is answered; call before the connection's writer may run. */
    void attach(WsSession session) {
        this.session = session;
        this.socket = dataWriter(session);
    }

    /** A frame of this sink's own (an Engine.IO packet, say): encoded for this write only. */
    void text(String frame) {
        text(Frame.of(frame));
    }

    @Override
    public void text(Frame frame) {
        byte[] encoded = frame.encoded(ENCODE);
        if (single == null && gatheredLength == 0) {
            single = encoded;
            return;
        }
        if (gatheredOrSingleLength() + encoded.length > MAX_GATHERED_BYTES) {
            flush();
            single = encoded;
            return;
        }
        int at = reserve(encoded.length); // before reading `gathered`: reserving may replace it
        System.arraycopy(encoded, 0, gathered, at, encoded.length);
    }

    /**
     * One frame whose payload is the frames' payloads joined by {@code '\n'}, built from their shared
     * encodings: each event's frame is encoded once per fan-out, so a batch costs copies, not a
     * string and a UTF-8 encoding of its own per subscriber.
     */
    @Override
    public void batch(List<Frame> frames) {
        int count = frames.size();
        int payload = count - 1;
        for (Frame frame : frames) {
            byte[] encoded = frame.encoded(ENCODE);
            payload += encoded.length - TextFrames.payloadOffset(encoded);
        }
        int length = TextFrames.headerLength(payload) + payload;
        if (gatheredOrSingleLength() > 0 && gatheredOrSingleLength() + length > MAX_GATHERED_BYTES) {
            flush();
        }
        int start = reserve(length); // before reading `gathered`: reserving may replace it
        int at = TextFrames.writeHeader(gathered, start, payload);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                gathered[at++] = '\n';
            }
            byte[] encoded = frames.get(i).encoded(ENCODE);
            int offset = TextFrames.payloadOffset(encoded);
            System.arraycopy(encoded, offset, gathered, at, encoded.length - offset);
            at += encoded.length - offset;
        }
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
            try {
                socket.writeNow(BufferData.create(frames, 0, length));
            } finally {
                GatherBuffers.release(frames); // the write has returned: the socket holds no reference
            }
        }
    }

    /** Pings carry a short payload, which clients echo in their pong (it names the hub's heartbeat in a capture). */
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

    /**
     * Sends the close frame, or with {@code close-style: abrupt} on shutdown (1001) and heartbeat timeout (4011)
     * drops the connection instead: what was queued before (the {@code disconnect} notice) is written first.
     */
    @Override
    public void close(int code, String reason) {
        flush();
        if (abruptEnds && (code == CloseCode.GOING_AWAY || code == CloseCode.HEARTBEAT_TIMEOUT)) {
            abort();
            return;
        }
        session.close(code, fitReason(reason));
    }

    /**
     * Closes the socket without writing anything. {@code terminate()} would first write a close frame,
     * which blocks the caller (the hub's timer) on exactly the stuck client being cut off, and then throw.
     */
    @Override
    public void abort() {
        if (session == null) {
            return; // the upgrade was never answered: Helidon ends that socket itself
        }
        if (session instanceof ServerConnection connection) {
            connection.close(true); // interrupts the connection's virtual thread, which closes its socket
        } else {
            session.terminate();
        }
    }

    private int gatheredOrSingleLength() {
        return single != null ? single.length : gatheredLength;
    }

    /** Makes room for {@code bytes} more gathered bytes (moving a single shared frame in first); returns where they go. */
    private int reserve(int bytes) {
        byte[] first = single;
        single = null;
        int firstLength = first == null ? 0 : first.length;
        int needed = gatheredLength + firstLength + bytes;
        if (gathered == null) {
            gathered = GatherBuffers.take(needed);
        } else if (needed > gathered.length) {
            byte[] larger = GatherBuffers.take(needed);
            System.arraycopy(gathered, 0, larger, 0, gatheredLength);
            GatherBuffers.release(gathered);
            gathered = larger;
        }
        if (first != null) {
            System.arraycopy(first, 0, gathered, gatheredLength, firstLength);
            gatheredLength += firstLength;
        }
        int at = gatheredLength;
        gatheredLength = needed;
        return at;
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

    /** The socket writer under Helidon's session: on the server, its socket context is the connection's. */
    private static DataWriter dataWriter(WsSession session) {
        if (session.socketContext() instanceof ConnectionContext connection) {
            return connection.dataWriter();
        }
        throw new IllegalArgumentException("not a server-side WebSocket session: " + session.socketContext());
    }
}

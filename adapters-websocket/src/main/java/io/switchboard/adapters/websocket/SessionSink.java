package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;
import io.switchboard.application.hub.FrameSink;

import java.nio.charset.StandardCharsets;

/** Writes to one Helidon WebSocket session; only the connection's writer calls it. */
final class SessionSink implements FrameSink {
    private static final int MAX_REASON_BYTES = 123;
    private static final byte[] PING_PAYLOAD = {'h', 'b'};

    private final WsSession session;

    SessionSink(WsSession session) {
        this.session = session;
    }

    @Override
    public void text(String frame) {
        session.send(frame, true);
    }

    /**
     * Pings carry a payload because clients echo it in their pong: Helidon 4.0.5 does not process a
     * frame with an empty payload until more bytes arrive, so an empty pong from an otherwise silent
     * client would be seen too late and the client closed with 4011.
     */
    @Override
    public void ping() {
        session.ping(BufferData.create(PING_PAYLOAD));
    }

    @Override
    public void pong(byte[] payload) {
        session.pong(BufferData.create(payload));
    }

    @Override
    public void close(int code, String reason) {
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
}

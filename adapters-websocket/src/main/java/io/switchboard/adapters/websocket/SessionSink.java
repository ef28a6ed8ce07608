package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import io.switchboard.application.hub.FrameSink;

import java.nio.charset.StandardCharsets;

/** Writes to one Helidon WebSocket session; only the connection's writer calls it. */
final class SessionSink implements FrameSink {
    private static final int MAX_REASON_BYTES = 123;

    private final WsSession session;

    SessionSink(WsSession session) {
        this.session = session;
    }

    @Override
    public void text(String frame) {
        session.send(frame, true);
    }

    @Override
    public void ping() {
        session.ping(BufferData.empty());
    }

    @Override
    public void pong(byte[] payload) {
        session.pong(BufferData.create(payload));
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, fitReason(reason));
    }

    @Override
    public void abort() {
        session.terminate();
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

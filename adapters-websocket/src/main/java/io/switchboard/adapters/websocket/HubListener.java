package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.ConnectionSlot;

/**
 * What every protocol's listener does with its hub connection once the transport is up: answer
 * WebSocket pings through the connection's writer, and end the connection (or give its place in the
 * limits back, when it never opened) however the transport ends — also when Helidon finishes with
 * the socket without calling {@link #onClose} ({@link #transportEnded(int)}).
 */
abstract class HubListener implements WsListener {
    /** The hub's connection, once opened; only the transport's reader thread sets it. */
    protected Connection connection;
    /** The place in the connection limits taken before the 101, until the connection holds it. */
    protected volatile ConnectionSlot slot;

    /**
     * The transport ended with {@code code}: Helidon finished with the connection, whether or not it told
     * {@link #onClose} (1006), or the client broke the protocol ({@link CheckedFrames}: 1002, 1007).
     */
    final void transportEnded(int code) {
        if (connection != null) {
            connection.transportClosed(code);
        } else if (slot != null) {
            slot.release();
        }
    }

    @Override
    public final void onPing(WsSession session, BufferData buffer) {
        if (connection != null) {
            byte[] payload = new byte[buffer.available()];
            buffer.read(payload);
            connection.send(new Outbound.PingReply(payload));
        }
    }

    @Override
    public final void onClose(WsSession session, int status, String reason) {
        if (connection != null) {
            connection.transportClosed(status);
        }
    }

    @Override
    public final void onError(WsSession session, Throwable t) {
        if (connection != null) {
            connection.transportClosed(1006);
        }
    }
}

package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

import java.lang.reflect.Field;

/**
 * Shrinks the two buffers Helidon 4.0.5 gives every connection at a fixed size, once it has become a
 * WebSocket: the socket's 8 KiB read buffer ({@code PlainSocket.readBuffer}, sized for HTTP request
 * heads) and the WebSocket connection's 1 KiB send buffer ({@code WsConnection.sendBuffer}). An idle
 * WebSocket connection held them for as long as it lived: 9 of its ~17 KiB of heap. Inbound WebSocket
 * traffic is small (commands, pongs, acks; rate-limited per connection) and larger messages just take
 * several reads; the send buffer is only used for control frames (events go through {@link SessionSink})
 * and grows when a frame needs it.
 *
 * <p>No 4.0.5 setting sizes either buffer, so the fields are replaced by reflection on the connection's
 * own thread during the upgrade, before its first WebSocket read. If they are not there (another
 * Helidon version), it logs once and leaves the buffers as they are.
 */
final class ConnectionBuffers {
    private static final System.Logger LOG = System.getLogger(ConnectionBuffers.class.getName());
    /** Read size for a WebSocket connection's socket; a client message of up to 4 KiB takes at most four reads. */
    static final int READ_BUFFER_BYTES = 1024;
    /** Enough for a ping, pong or close frame; grows for anything larger. */
    static final int SEND_BUFFER_BYTES = 128;

    private static final Field READER_SOURCE = field("io.helidon.common.buffers.DataReader", "bytesSupplier");
    private static final Field READ_BUFFER = field("io.helidon.common.socket.PlainSocket", "readBuffer");
    private static final Field SEND_BUFFER = field("io.helidon.webserver.websocket.WsConnection", "sendBuffer");

    private ConnectionBuffers() {
    }

    /** Whether the Helidon on the class path has the fields this replaces. */
    static boolean installable() {
        return READER_SOURCE != null && READ_BUFFER != null && SEND_BUFFER != null;
    }

    /**
     * Replaces the upgraded connection's buffers with smaller ones. Call on the connection's thread
     * between the upgrade and the connection's first read.
     *
     * @return whether both buffers were replaced
     */
    static boolean shrink(ConnectionContext ctx, ServerConnection upgraded) {
        if (!installable()) {
            return false;
        }
        try {
            DataReader reader = ctx.dataReader();
            Object socket = READER_SOURCE.get(reader);
            if (!READ_BUFFER.getDeclaringClass().isInstance(socket) || !SEND_BUFFER.getDeclaringClass().isInstance(upgraded)) {
                return false;
            }
            READ_BUFFER.set(socket, new byte[READ_BUFFER_BYTES]);
            SEND_BUFFER.set(upgraded, BufferData.growing(SEND_BUFFER_BYTES));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Field field(String className, String name) {
        try {
            Field field = Class.forName(className).getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "WebSocket connections keep Helidon's default buffers: " + e);
            return null;
        }
    }
}

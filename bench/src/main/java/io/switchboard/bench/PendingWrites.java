package io.switchboard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/** Writes on a non-blocking socket: what the socket takes now, and the rest when the selector says it is writable. */
final class PendingWrites {
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(2);

    /** Writes what the socket takes now; keeps the rest and asks the selector for {@code OP_WRITE}. */
    void write(SocketChannel channel, SelectionKey key, ByteBuffer buffer) throws IOException {
        if (queue.isEmpty()) {
            channel.write(buffer);
            if (!buffer.hasRemaining()) {
                return;
            }
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        queue.add(buffer);
    }

    /** The socket is writable: writes what is kept, and stops asking for {@code OP_WRITE} once all is written. */
    void flush(SocketChannel channel, SelectionKey key) throws IOException {
        while (!queue.isEmpty()) {
            ByteBuffer head = queue.peek();
            channel.write(head);
            if (head.hasRemaining()) {
                return;
            }
            queue.poll();
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    void clear() {
        queue.clear();
    }
}

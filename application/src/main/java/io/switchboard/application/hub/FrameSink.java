package io.switchboard.application.hub;

import java.util.List;

/**
 * A transport's write side. Only the connection's writer calls it, one call at a time, so an
 * implementation needs no locking of its own.
 */
public interface FrameSink {

    void text(Frame frame);

    /**
     * Writes two or more frames as one text message, joined by {@code '\n'} (the batched form a client
     * asks for with {@code batch=1}). The caller reuses the list after the call.
     */
    default void batch(List<Frame> frames) {
        StringBuilder joined = new StringBuilder();
        for (Frame frame : frames) {
            if (!joined.isEmpty()) {
                joined.append('\n');
            }
            joined.append(frame.text());
        }
        text(Frame.of(joined.toString()));
    }

    /** Pushes out what earlier calls buffered; called when the writer has nothing more queued. */
    default void flush() {
    }

    /** Sends a transport-level ping; a transport without one does nothing. */
    void ping();

    /** Answers a client's transport-level ping with {@code payload}. */
    void pong(byte[] payload);

    /** Sends a close with {@code code} and {@code reason} and ends the transport. */
    void close(int code, String reason);

    /** Ends the transport at once, without a close handshake (a writer that cannot make progress). */
    void abort();

    /** Whether the client answers {@link #ping()} (WebSocket does; SSE has no pong, its heartbeat is one-way). */
    default boolean expectsPong() {
        return true;
    }
}

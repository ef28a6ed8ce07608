package io.switchboard.application.hub;

/**
 * A transport's write side. Only the connection's writer calls it, one call at a time, so an
 * implementation needs no locking of its own.
 */
public interface FrameSink {

    void text(String frame);

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

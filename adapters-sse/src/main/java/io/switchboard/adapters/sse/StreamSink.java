package io.switchboard.adapters.sse;

import io.switchboard.application.hub.Frame;
import io.switchboard.application.hub.FrameSink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Writes SSE blocks to one response. Everything but {@link #abort()} runs on the request's
 * handler thread; writes are flushed once the writer has nothing more queued.
 */
final class StreamSink implements FrameSink {
    /** One instance, so that every stream finds the encoding another left on a shared {@link Frame}. */
    private static final Function<String, byte[]> UTF_8 = text -> text.getBytes(StandardCharsets.UTF_8);

    private final OutputStream out;
    private volatile boolean ended;

    StreamSink(OutputStream out) {
        this.out = out;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void text(Frame frame) {
        write(frame.encoded(UTF_8)); // an event's block is encoded once for all its subscribers
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A comment line keeps proxies from closing a quiet stream and reveals a dead client. */
    void heartbeat() {
        write(": heartbeat\n\n");
        flush();
    }

    @Override
    public void ping() {
        // SSE has no ping frame; the stream's own heartbeat comment does this job.
    }

    @Override
    public void pong(byte[] payload) {
        // Clients cannot ping over SSE.
    }

    @Override
    public void close(int code, String reason) {
        ended = true;
    }

    @Override
    public void abort() {
        ended = true;
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            // The stream is being cut off because it cannot make progress; nothing more to do.
        }
    }

    @Override
    public boolean expectsPong() {
        return false;
    }

    private void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

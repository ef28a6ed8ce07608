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
 * handler thread, which creates it. The blocks a writer takes in one go are gathered and written together when it
 * flushes (it does once it has nothing more queued): Helidon 4.0.5 sends every write of a chunked
 * response to the socket at once, so a stream that fell behind would otherwise pay a system call
 * per event.
 */
final class StreamSink implements FrameSink {
    /** One instance, so that every stream finds the encoding another left on a shared {@link Frame}. */
    private static final Function<String, byte[]> UTF_8 = text -> text.getBytes(StandardCharsets.UTF_8);
    /** Gathered bytes are written out once they pass this: a long backlog goes out in writes of about 16 KiB, and a
     * stream whose client reads slowly parks with at most that much gathered. */
    private static final int MAX_GATHERED = 16 * 1024;

    private final OutputStream out;
    /** The request's handler thread, which does all of this stream's writing. */
    private final Thread writer = Thread.currentThread();
    private volatile boolean ended;
    /** The one block written since the last flush (not copied), or null. */
    private byte[] held;
    /** Several blocks written since the last flush, gathered; dropped after each flush so an idle stream holds nothing. */
    private byte[] gathered;
    private int gatheredLength;

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
            writeGathered();
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

    /**
     * Cuts the stream off from another thread (the hub's heartbeat) without waiting for it: closing the
     * response from here would block behind a write stuck on a client that reads nothing, and with it
     * every other connection's heartbeat. Interrupting the handler thread, a virtual thread, closes its
     * socket whether it is blocked writing or waiting for work; it then ends the stream itself.
     */
    @Override
    public void abort() {
        ended = true;
        writer.interrupt();
    }

    @Override
    public boolean expectsPong() {
        return false;
    }

    private void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) {
        if (held == null && gatheredLength == 0) {
            held = bytes;
            return;
        }
        if (held != null) {
            gather(held);
            held = null;
        }
        gather(bytes);
        if (gatheredLength >= MAX_GATHERED) {
            try {
                writeGathered();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void gather(byte[] bytes) {
        if (gathered == null || gathered.length - gatheredLength < bytes.length) {
            byte[] larger = new byte[Math.max(1024, 2 * gatheredLength + bytes.length)];
            if (gathered != null) {
                System.arraycopy(gathered, 0, larger, 0, gatheredLength);
            }
            gathered = larger;
        }
        System.arraycopy(bytes, 0, gathered, gatheredLength, bytes.length);
        gatheredLength += bytes.length;
    }

    /** Writes what was held or gathered since the last flush, in one write. */
    private void writeGathered() throws IOException {
        if (held != null) {
            byte[] one = held;
            held = null;
            out.write(one);
        } else if (gatheredLength > 0) {
            byte[] several = gathered;
            int length = gatheredLength;
            gathered = null;
            gatheredLength = 0;
            out.write(several, 0, length);
        }
    }
}

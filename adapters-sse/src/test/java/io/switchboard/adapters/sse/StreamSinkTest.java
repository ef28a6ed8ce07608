package io.switchboard.adapters.sse;

import io.switchboard.application.hub.Frame;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a stream's response receives: the blocks of one writer wake-up in order, in as few writes as their size allows. */
class StreamSinkTest {

    /** A response body that remembers each write it was given. */
    private static final class RecordingBody extends ByteArrayOutputStream {
        final List<Integer> writes = new ArrayList<>();
        int flushes;

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            writes.add(length);
            super.write(bytes, offset, length);
        }

        @Override
        public void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void theBlocksOfOneWakeUpGoOutInOneWriteWhenTheWriterFlushes() {
        RecordingBody body = new RecordingBody();
        StreamSink sink = new StreamSink(body);

        sink.text(Frame.of("id: 1\ndata: {\"n\":1}\n\n"));
        sink.text(Frame.of("id: 2\ndata: {\"n\":\"é\"}\n\n"));
        sink.text(Frame.of("id: 3\ndata: {\"n\":3}\n\n"));
        assertEquals(List.of(), body.writes, "nothing is written before the flush");
        sink.flush();

        assertEquals(1, body.writes.size(), "one write for the three blocks: " + body.writes);
        assertEquals("id: 1\ndata: {\"n\":1}\n\nid: 2\ndata: {\"n\":\"é\"}\n\nid: 3\ndata: {\"n\":3}\n\n", body.text());
        assertEquals(1, body.flushes);

        sink.text(Frame.of("id: 4\ndata: {}\n\n"));
        sink.flush();
        assertEquals(2, body.writes.size(), "a lone block is written as it is");
        assertTrue(body.text().endsWith("id: 3\ndata: {\"n\":3}\n\nid: 4\ndata: {}\n\n"), body.text());
    }

    @Test
    void aLongBacklogGoesOutInWritesOfAboutSixteenKibibytesWithNothingLostOrReordered() {
        RecordingBody body = new RecordingBody();
        StreamSink sink = new StreamSink(body);
        StringBuilder expected = new StringBuilder();
        for (int n = 1; n <= 400; n++) {
            String block = "id: " + n + "\ndata: {\"n\":" + n + ",\"pad\":\"" + "x".repeat(100) + "\"}\n\n";
            expected.append(block);
            sink.text(Frame.of(block));
        }
        sink.flush();

        assertEquals(expected.toString(), body.text());
        assertTrue(body.writes.size() >= 3, "about 50 KB in pieces: " + body.writes);
        for (int length : body.writes) {
            assertTrue(length < 16 * 1024 + 200, "each write at most one block past 16 KiB: " + body.writes);
        }
    }
}

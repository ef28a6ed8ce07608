package io.switchboard.adapters.websocket;

import io.switchboard.application.hub.Frame;
import org.junit.jupiter.api.Test;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a long-polling GET receives from the connection's writer, and how the writer waits for it. */
class PollingSinkTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final AtomicInteger ended = new AtomicInteger(-1);
    private final PollingSink sink = new PollingSink(16, SECOND * 10, ended::set);

    @Test
    void aGetTakesEverythingWrittenSinceTheLastOneJoinedByTheSeparator() {
        sink.text(Frame.of("0{\"sid\":\"s\"}"));
        sink.text(Frame.of("40{\"sid\":\"s\"}\u001e42[\"connected\",{}]")); // one rendered message of two packets
        sink.flush();
        assertEquals("0{\"sid\":\"s\"}\u001e40{\"sid\":\"s\"}\u001e42[\"connected\",{}]", sink.take(SECOND));
        sink.ping();
        assertEquals("2", sink.take(SECOND), "the hub's ping goes with the next GET");
    }

    @Test
    void aGetWithNothingToTakeWaitsThenAnswersANoop() throws Exception {
        assertEquals("6", sink.take(TimeUnit.MILLISECONDS.toNanos(50)));
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> sink.take(SECOND * 10));
        Thread.sleep(100);
        assertFalse(waiting.isDone(), "a GET waits while nothing is written");
        sink.text(Frame.of("42[\"e\"]"));
        sink.flush();
        assertEquals("42[\"e\"]", waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theClosePacketGoesAloneWithTheGetAfterTheRestWhichEndsTheTransport() throws Exception {
        sink.text(Frame.of("42[\"server_disconnect\",{}]"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> sink.close(4011, "heartbeat timeout"));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> closing.get(200, TimeUnit.MILLISECONDS),
                "the close is written once a GET took it");
        assertEquals(-1, ended.get(), "not over before the client took the close packet");
        assertEquals("42[\"server_disconnect\",{}]", sink.take(SECOND), "what was written before the close, on its own");
        assertEquals(-1, ended.get());
        assertEquals("1", sink.take(SECOND), "then the close packet alone");
        assertEquals(-1, ended.get(), "over once the GET sent it");
        sink.sent("1");
        closing.get(5, TimeUnit.SECONDS);
        assertEquals(4011, ended.get());
        sink.text(Frame.of("42[\"late\"]"));
        assertEquals("1", sink.take(SECOND), "after the end a GET only learns that it is over");
    }

    @Test
    void aWriterWaitsForTheClientToPollOnceTheBufferIsFull() throws Exception {
        sink.text(Frame.of("42[\"0123456789abc\"]")); // 18 characters: over the 16 held
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> sink.text(Frame.of("42[\"next\"]")));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> writer.get(200, TimeUnit.MILLISECONDS),
                "the writer waits as on a socket that does not drain");
        assertEquals("42[\"0123456789abc\"]", sink.take(SECOND));
        writer.get(5, TimeUnit.SECONDS);
        assertEquals("42[\"next\"]", sink.take(SECOND));
    }

    @Test
    void anAbortReleasesAWaitingWriterAndAWaitingGet() throws Exception {
        sink.text(Frame.of("42[\"0123456789abc\"]"));
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> sink.text(Frame.of("42[\"next\"]")));
        Thread.sleep(100);
        sink.abort();
        writer.get(5, TimeUnit.SECONDS);
        assertEquals(1006, ended.get());
        assertEquals("1", sink.take(SECOND));
    }

    @Test
    void whileTheClientProbesAWebSocketGetsAreAnsweredAtOnce() {
        sink.probing();
        long start = System.nanoTime();
        assertEquals("6", sink.take(SECOND * 30));
        assertTrue(System.nanoTime() - start < SECOND * 5, "a noop at once, so that the client can pause its polling");
        assertFalse(sink.upgraded());
    }
}

package io.switchboard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends a request head one byte at a time, a byte every {@code intervalNanos} (±25 %), so that it
 * is never complete in time: a WebSocket upgrade, an SSE request or a publish in turn. Reads until
 * the hub closes it, then starts again. One in four is impatient: it sends the request line at
 * once, trickles the headers and goes away (a FIN) after 1–4 s, in the middle of its headers,
 * before the hub's timeout.
 */
final class Slowloris extends HeadlessAttacker {
    private static final String[] HEADS = {
            "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            "GET /sse?rooms=abuse:bystander HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
            "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    };

    private final long intervalNanos;
    private byte[] head;
    private int sent;
    private int next;
    private long giveUpAt;

    Slowloris(AttackLoop loop, HeadlessTally tally, long intervalNanos, int first) {
        super(loop, tally);
        this.intervalNanos = intervalNanos;
        this.next = first;
    }

    @Override
    protected void started() throws IOException {
        head = HEADS[next++ % HEADS.length].getBytes(StandardCharsets.US_ASCII);
        sent = 0;
        giveUpAt = 0;
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
            sent = new String(head, StandardCharsets.US_ASCII).indexOf("\r\n") + 2;
            write(ByteBuffer.wrap(head, 0, sent));
            tally.bytesSent += sent;
            giveUpAt = System.nanoTime() + 1_000_000_000L + ThreadLocalRandom.current().nextLong(3_000_000_000L);
        }
        schedule(System.nanoTime() + jittered());
    }

    @Override
    protected void onTimer() throws IOException {
        if (giveUpAt != 0 && System.nanoTime() >= giveUpAt) {
            tally.gaveUp++;
            closeSocket(false);
            reopen(0);
            return;
        }
        write(ByteBuffer.wrap(head, sent, 1));
        sent++;
        tally.bytesSent++;
        if (sent < head.length) {
            schedule(System.nanoTime() + jittered());
        } else {
            tally.completed++;
        }
    }

    private long jittered() {
        return intervalNanos * 3 / 4 + ThreadLocalRandom.current().nextLong(intervalNanos / 2 + 1);
    }
}

package io.switchboard.adapters.websocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gather buffers are reused once handed back, never handed to two writers at once, and large ones are not kept. */
class GatherBuffersTest {

    @Test
    void aReturnedBufferIsReusedAndATakenOneIsNotHandedOutAgain() {
        byte[] first = GatherBuffers.take(100);
        assertEquals(GatherBuffers.SIZE, first.length, "small requests get a standard buffer");
        byte[] second = GatherBuffers.take(100);
        assertNotSame(first, second, "a buffer in use is not handed out twice");

        GatherBuffers.release(first);
        assertSame(first, GatherBuffers.take(10), "a returned buffer is reused");
        GatherBuffers.release(second);
    }

    @Test
    void aLargerRequestGetsItsOwnBufferWhichIsNotKept() {
        byte[] large = GatherBuffers.take(GatherBuffers.SIZE + 1);
        assertTrue(large.length > GatherBuffers.SIZE);
        GatherBuffers.release(large);
        byte[] next = GatherBuffers.take(GatherBuffers.SIZE + 1);
        assertNotSame(large, next, "oversized buffers are left to the collector");
    }
}

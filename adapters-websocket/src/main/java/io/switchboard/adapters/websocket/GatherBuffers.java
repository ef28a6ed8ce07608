package io.switchboard.adapters.websocket;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The buffers writers gather frames in, shared by all connections and handed back after each socket
 * write. A connection keeps no buffer while idle, and a busy hub does not allocate (and the kernel
 * does not fault in and zero) a fresh 64 KiB for every writer wake-up: in a batched fan-out profile
 * that allocation was about a quarter of the hub's CPU, most of it page faults of a growing heap.
 * At most {@link #SLOTS} buffers are kept; beyond that they are left to the collector.
 */
final class GatherBuffers {
    static final int SIZE = 64 * 1024;
    private static final int SLOTS = 32;
    private static final AtomicReferenceArray<byte[]> FREE = new AtomicReferenceArray<>(SLOTS);

    private GatherBuffers() {
    }

    /** A buffer of at least {@code bytes} (and at least {@link #SIZE}); the caller owns it until {@link #release}. */
    static byte[] take(int bytes) {
        if (bytes <= SIZE) {
            int start = start();
            for (int i = 0; i < SLOTS; i++) {
                int slot = (start + i) & (SLOTS - 1);
                byte[] buffer = FREE.getPlain(slot);
                if (buffer != null && FREE.compareAndSet(slot, buffer, null)) {
                    return buffer;
                }
            }
        }
        return new byte[Math.max(bytes, SIZE)];
    }

    /** Hands a buffer back once nothing reads it any more (its socket write has returned). */
    static void release(byte[] buffer) {
        if (buffer.length != SIZE) {
            return;
        }
        int start = start();
        for (int i = 0; i < SLOTS; i++) {
            int slot = (start + i) & (SLOTS - 1);
            if (FREE.getPlain(slot) == null && FREE.compareAndSet(slot, null, buffer)) {
                return;
            }
        }
    }

    /** Spreads concurrent writers over the slots. */
    private static int start() {
        return (int) Thread.currentThread().threadId() * 7;
    }
}

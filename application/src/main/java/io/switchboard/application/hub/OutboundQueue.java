package io.switchboard.application.hub;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/** A connection's queue of messages waiting for its writer, with the bounded part counted. */
final class OutboundQueue {
    private final ArrayDeque<Outbound> items = new ArrayDeque<>(8);
    private int boundedCount;
    private long boundedBytes;

    /** Appends without looking at bounds. */
    synchronized void add(Outbound message) {
        items.addLast(message);
        if (message.bounded()) {
            boundedCount++;
            boundedBytes += message.approximateBytes();
        }
    }

    /**
     * Appends {@code message} if it is unbounded or one more bounded message stays within the limits;
     * the check and the append are one lock acquisition (this is the fan-out's hot path).
     *
     * @return whether it was appended
     */
    synchronized boolean offer(Outbound message, int maxMessages, long maxBytes) {
        if (message.bounded()) {
            int bytes = message.approximateBytes();
            if (boundedCount >= maxMessages || boundedBytes + bytes > maxBytes) {
                return false;
            }
            boundedCount++;
            boundedBytes += bytes;
        }
        items.addLast(message);
        return true;
    }

    /**
     * Appends the longest prefix of {@code messages} that stays within the limits, under one lock.
     *
     * @return how many were appended
     */
    synchronized int offerAll(List<? extends Outbound> messages, int maxMessages, long maxBytes) {
        int n = 0;
        for (Outbound message : messages) {
            if (!offer(message, maxMessages, maxBytes)) {
                break;
            }
            n++;
        }
        return n;
    }

    /** Whether one more bounded message of {@code bytes} stays within the limits. */
    synchronized boolean fits(int bytes, int maxMessages, long maxBytes) {
        return boundedCount < maxMessages && boundedBytes + bytes <= maxBytes;
    }

    /** Removes the oldest bounded message; {@code false} when there is none. */
    synchronized boolean dropOldestBounded() {
        for (Iterator<Outbound> it = items.iterator(); it.hasNext(); ) {
            Outbound message = it.next();
            if (message.bounded()) {
                it.remove();
                uncount(message);
                return true;
            }
        }
        return false;
    }

    /**
     * Moves up to {@code into.length} messages, oldest first, into {@code into}; they no longer count
     * against the bounds. One lock acquisition for the lot, so the writer does not contend with the
     * fan-out once per message.
     *
     * @return how many were moved
     */
    synchronized int pollInto(Outbound[] into) {
        int n = 0;
        Outbound message;
        while (n < into.length && (message = items.pollFirst()) != null) {
            if (message.bounded()) {
                uncount(message);
            }
            into[n++] = message;
        }
        return n;
    }

    synchronized Outbound poll() {
        Outbound message = items.pollFirst();
        if (message != null && message.bounded()) {
            uncount(message);
        }
        return message;
    }

    synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    /** Empties the queue; returns how many bounded messages were discarded. */
    synchronized int clear() {
        int discarded = boundedCount;
        items.clear();
        boundedCount = 0;
        boundedBytes = 0;
        return discarded;
    }

    private void uncount(Outbound message) {
        boundedCount--;
        boundedBytes -= message.approximateBytes();
    }
}

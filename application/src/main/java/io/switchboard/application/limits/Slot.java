package io.switchboard.application.limits;

import io.switchboard.application.port.ConnectionSlot;
import io.switchboard.application.port.SlotHolder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted connection's place in the counts; freed exactly once, however many times it is
 * released. Admission happens before the connection exists: an eviction that arrives in between
 * is carried out as soon as the connection is {@linkplain #attach attached}.
 */
public final class Slot implements ConnectionSlot {
    private final String id;
    private final String ip;
    private final String userId;
    private final long sequence;
    private final boolean ledgered;
    private final EndpointCounts endpoint;
    private final ConnectionLimiter limiter;
    private final AtomicBoolean held = new AtomicBoolean(true);
    private final AtomicBoolean evictionCarriedOut = new AtomicBoolean();
    private volatile boolean evicted;
    private volatile SlotHolder connection;

    /** @param endpoint where the slot counts against its endpoint's own limits too, or {@code null} */
    Slot(String id, String ip, String userId, long sequence, boolean ledgered, EndpointCounts endpoint, ConnectionLimiter limiter) {
        this.id = id;
        this.ip = ip;
        this.userId = userId;
        this.sequence = sequence;
        this.ledgered = ledgered;
        this.endpoint = endpoint;
        this.limiter = limiter;
    }

    String id() {
        return id;
    }

    String ip() {
        return ip;
    }

    String userId() {
        return userId;
    }

    /** Admission order on this node: lower is older. */
    long sequence() {
        return sequence;
    }

    /** Whether the ledger holds a place for this slot (some per-IP or per-user limit applied). */
    boolean ledgered() {
        return ledgered;
    }

    EndpointCounts endpoint() {
        return endpoint;
    }

    SlotHolder connection() {
        return connection;
    }

    boolean held() {
        return held.get();
    }

    @Override
    public void attach(SlotHolder admitted) {
        connection = admitted;
        if (evicted) {
            closeEvicted();
        }
    }

    @Override
    public void release() {
        if (held.compareAndSet(true, false)) {
            limiter.free(this, true);
        }
    }

    /**
     * Takes the place away and evicts the connection (4009). With {@code keepTotal} the place in
     * the total count is handed to the admission that evicts, rather than freed.
     *
     * @return false when the slot was already released or evicted
     */
    boolean evict(boolean keepTotal) {
        if (!held.compareAndSet(true, false)) {
            return false;
        }
        evicted = true;
        limiter.free(this, !keepTotal);
        if (connection != null) {
            closeEvicted();
        }
        return true;
    }

    private void closeEvicted() {
        if (evictionCarriedOut.compareAndSet(false, true)) {
            limiter.closeEvicted(connection);
        }
    }
}

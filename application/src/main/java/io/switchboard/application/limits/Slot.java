package io.switchboard.application.limits;

import java.util.concurrent.atomic.AtomicBoolean;

/** One admitted connection's place in the counts; freed exactly once, however many times it is released. */
public final class Slot {
    private final String ip;
    private final String userId;
    private final ConnectionLimiter limiter;
    private final AtomicBoolean held = new AtomicBoolean(true);

    Slot(String ip, String userId, ConnectionLimiter limiter) {
        this.ip = ip;
        this.userId = userId;
        this.limiter = limiter;
    }

    String ip() {
        return ip;
    }

    String userId() {
        return userId;
    }

    public void release() {
        if (held.compareAndSet(true, false)) {
            limiter.free(this);
        }
    }
}

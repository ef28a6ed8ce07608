package io.switchboard.application.hub;

/**
 * Whether a connection's client is still there (SPEC 8): when it last sent a message and answered a
 * ping, whether a ping is due or its pong overdue, whether it went idle, and how long its close has
 * waited to be written. It only decides, on the times it is given; the connection acts.
 */
final class Liveness {
    /** What the heartbeat finds for an open connection whose client answers pings. */
    enum Due {
        NOTHING,
        /** Send a ping: the interval passed since the last pong (the ping counts as sent). */
        PING,
        /** No pong within the heartbeat timeout of the ping: close 4011. */
        HEARTBEAT_TIMEOUT,
        /** No message from the client within the idle timeout: close 4012. */
        IDLE_TIMEOUT
    }

    private final HubSettings settings;
    private final DeliveryRules rules;
    private volatile long lastActivityNanos;
    /** The client's last message (pongs answer our pings, so they do not count): for the idle timeout. */
    private volatile long lastMessageNanos;
    private volatile long lastPongNanos;
    /** When the unanswered ping was sent; 0: none is. */
    private volatile long pingSentNanos;
    private volatile long closingSinceNanos;

    Liveness(HubSettings settings, DeliveryRules rules, long openedNanos) {
        this.settings = settings;
        this.rules = rules;
        this.lastActivityNanos = openedNanos;
        this.lastMessageNanos = openedNanos;
        this.lastPongNanos = openedNanos;
    }

    /** The client sent a message. */
    void messageReceived(long now) {
        lastActivityNanos = now;
        lastMessageNanos = now;
    }

    /** Whether a ping was sent and its pong has not come yet. */
    boolean awaitingPong() {
        return pingSentNanos != 0;
    }

    /** The client answered the ping. */
    void pongReceived(long now) {
        lastPongNanos = now;
        lastActivityNanos = now;
        pingSentNanos = 0;
    }

    /** Milliseconds since the client last sent anything, a pong included. */
    long idleMillis(long now) {
        return (now - lastActivityNanos) / 1_000_000;
    }

    /** The connection began to close: its close must be written within the close grace. */
    void closing(long now) {
        closingSinceNanos = now;
    }

    /** Whether the close began longer ago than the close grace (a writer that cannot finish). */
    boolean closeOverdue(long now) {
        return now - closingSinceNanos > settings.closeGrace().toNanos();
    }

    /** Why a client whose pong is overdue is closed. */
    String silenceReason() {
        return "heartbeat timeout: no pong within " + settings.heartbeatTimeout().toMillis() + " ms";
    }

    /** What is due at {@code now}; call from the heartbeat only. */
    Due check(long now) {
        if (rules.idleTimeoutEnabled() && now - lastMessageNanos >= rules.idleTimeout().toNanos()) {
            return Due.IDLE_TIMEOUT;
        }
        long sent = pingSentNanos;
        if (sent != 0) {
            return now - sent > settings.heartbeatTimeout().toNanos() ? Due.HEARTBEAT_TIMEOUT : Due.NOTHING;
        }
        if (now - lastPongNanos >= settings.heartbeatInterval().toNanos()) {
            pingSentNanos = now;
            return Due.PING;
        }
        return Due.NOTHING;
    }
}

package io.switchboard.domain;

/** WebSocket close codes the hub uses (SPEC 3.1). 4000–4499: reconnect with backoff. */
public final class CloseCode {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int POLICY = 1008;
    public static final int TOO_LARGE = 1009;
    public static final int UNAUTHORIZED = 4001;
    public static final int FORBIDDEN = 4003;
    public static final int RATE_LIMITED = 4008;
    public static final int EVICTED = 4009;
    public static final int SLOW_CONSUMER = 4010;
    public static final int HEARTBEAT_TIMEOUT = 4011;
    /** The client sent no message for {@code hub.connection.idle-timeout}. */
    public static final int IDLE_TIMEOUT = 4012;
    /** A connection limit refused the client after the upgrade (an endpoint's {@code limit-failure: close}); reconnect with backoff. */
    public static final int CONNECTION_LIMIT = 4029;
    /** Disconnected by an administrator; 4500–4999 mean "do not reconnect". */
    public static final int KICKED = 4500;

    private CloseCode() {
    }
}

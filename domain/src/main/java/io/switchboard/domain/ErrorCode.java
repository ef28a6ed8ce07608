package io.switchboard.domain;

/** Error codes of the {@code error} message and of HTTP error bodies (SPEC 3.1). */
public enum ErrorCode {
    AUTH_INVALID,
    AUTH_EXPIRED,
    FORBIDDEN,
    ROOM_NOT_FOUND,
    USER_NOT_FOUND,
    SUBSCRIPTION_FAILED,
    CONNECTION_LIMIT,
    RATE_LIMITED,
    MESSAGE_INVALID,
    MESSAGE_TOO_LARGE,
    SLOW_CONSUMER,
    /** The room's namespace keeps no presence (SPEC 16). */
    PRESENCE_DISABLED,
    INTERNAL
}

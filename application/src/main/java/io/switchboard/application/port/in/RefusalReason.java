package io.switchboard.application.port.in;

/**
 * Why a connection is turned away, in the core's words. Each transport maps a reason to what its
 * client can read: an HTTP status before the upgrade or the stream, or an {@code error} and a close
 * code after it.
 */
public enum RefusalReason {
    /** The hub is shutting down, or a shared limit cannot be checked right now: retry shortly. */
    UNAVAILABLE,
    /** A browser's {@code Origin} the endpoint does not allow. */
    ORIGIN_NOT_ALLOWED,
    /** No {@code Origin} at all, where the endpoint requires one (it serves browsers only). */
    ORIGIN_MISSING,
    /** Too many connection attempts from the address. */
    TOO_MANY_ATTEMPTS,
    /** The token is invalid, expired, or missing where one is required. */
    TOKEN_REJECTED,
    /** The client may not have what it asks for: a role, a bound path, a reserved room, a room policy. */
    FORBIDDEN,
    /** The request names something that cannot exist (an invalid room name). */
    INVALID,
    /** A room it would join on connect has as many members as allowed. */
    ROOM_FULL,
    /** A connection limit (total, per address, per user, the endpoint's own) is reached. */
    CONNECTION_LIMIT
}

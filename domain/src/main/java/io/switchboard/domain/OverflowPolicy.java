package io.switchboard.domain;

/** What happens when a connection's outbound queue is full. */
public enum OverflowPolicy {
    /** Close with 4010; the client resumes from its last id and loses nothing. */
    DISCONNECT,
    /** Drop the oldest queued messages and tell the client how many with {@code error SLOW_CONSUMER}. */
    DROP_OLDEST
}

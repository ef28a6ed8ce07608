package io.switchboard.domain;

/** Why a {@code since} position cannot be replayed exactly. */
public enum ResumeFailure {
    /** The events after {@code since} are older than the room's retained history. */
    HISTORY_TRIMMED("history_trimmed"),
    /** {@code since} is ahead of anything this room ever held. */
    UNKNOWN_POSITION("unknown_position"),
    /** {@code since} belongs to an earlier incarnation of the stream (an in-memory log that restarted). */
    STREAM_RESET("stream_reset");

    private final String wireName;

    ResumeFailure(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}

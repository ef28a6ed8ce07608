package io.switchboard.application.port.out;

import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.RoomName;

import java.util.Optional;

/** Reads a room's history for resume. */
public interface EventLog {

    /** Exactly the events after {@code since}, or why they can no longer be replayed. */
    Replay readSince(RoomName room, EventId since);

    /**
     * The room's position: its newest event's id, or for a room without events a position before
     * any id it will assign (so it can be used as {@code since}); empty when the log cannot say.
     */
    Optional<EventId> lastId(RoomName room);
}

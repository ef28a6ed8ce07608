package io.switchboard.application.port.out;

import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.RoomName;

import java.util.Optional;

/** Reads a room's history for resume. */
public interface EventLog {

    /** Exactly the events after {@code since}, or why they can no longer be replayed. */
    Replay readSince(RoomName room, EventId since);

    /** The id of the room's newest event, if it has any. */
    Optional<EventId> lastId(RoomName room);
}

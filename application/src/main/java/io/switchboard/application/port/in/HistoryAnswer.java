package io.switchboard.application.port.in;

import io.switchboard.application.port.RoomState;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import java.util.List;
import java.util.Optional;

/** What a history request gets: a page of events, or why not. */
public sealed interface HistoryAnswer {

    /**
     * @param events    oldest first, without gaps
     * @param recovered false when the events after {@code since} can no longer be had whole; then
     *                  {@code events} is empty and {@code reason} says why ({@code history_trimmed},
     *                  {@code unknown_position}, {@code stream_reset})
     * @param oldestId  the oldest id the room's history still holds
     * @param lastId    the room's newest id when read, as {@code joined} gives it
     * @param state     the room's state document, sent with a page that is not recovered (SPEC 6)
     */
    record Page(RoomName room, List<Event> events, boolean recovered, String reason, Optional<EventId> oldestId,
                Optional<EventId> lastId, Optional<RoomState> state) implements HistoryAnswer {
        public Page {
            events = List.copyOf(events);
        }
    }

    /** Why the request is refused: each transport maps {@code why} to what its client reads. */
    record Refused(Why why, String code, String message) implements HistoryAnswer {
    }

    enum Why {
        /** The room name, {@code since} or {@code limit} is not acceptable. */
        INVALID,
        /** The room's policy needs a token, and none came. */
        UNAUTHENTICATED,
        /** The token presented is not valid, or has expired. */
        TOKEN_REJECTED,
        /** The caller may not join the room (its policy, or a room reserved for the hub). */
        FORBIDDEN,
        /** The room must be declared and is not. */
        NOT_FOUND
    }
}

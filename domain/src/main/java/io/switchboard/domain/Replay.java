package io.switchboard.domain;

import java.util.List;
import java.util.Optional;

/** The answer of a room's history to "what came after {@code since}?". */
public sealed interface Replay {

    /** Exactly the events after {@code since}, in id order, and the room's last id when read. */
    record Gap(List<Event> events, Optional<EventId> lastId) implements Replay {
        public Gap {
            events = List.copyOf(events);
        }
    }

    /** The gap cannot be replayed; {@code oldestId} is the oldest id still held, if any. */
    record Lost(ResumeFailure reason, Optional<EventId> oldestId, Optional<EventId> lastId) implements Replay {
    }
}

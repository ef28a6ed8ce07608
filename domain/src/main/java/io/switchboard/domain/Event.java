package io.switchboard.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An event stored in a room's log.
 *
 * @param data JSON text of the event's data
 */
public record Event(EventId id, RoomName room, String type, String data, Instant timestamp,
                    Map<String, String> meta, boolean critical, String key) {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timestamp, "timestamp");
        meta = meta == null ? Map.of() : meta;
    }

    /** The event the log made of {@code draft}: stamped {@code timestamp}, unless the draft says when it occurred. */
    public static Event from(EventDraft draft, EventId id, Instant timestamp) {
        Instant stamped = draft.occurredAt() != null ? draft.occurredAt() : timestamp;
        return new Event(id, draft.room(), draft.type(), draft.data(), stamped, draft.meta(), draft.critical(), draft.key());
    }

    /** A rough size in bytes, used to bound outbound queues. */
    public int approximateBytes() {
        return 96 + room.value().length() + type.length() + data.length();
    }
}

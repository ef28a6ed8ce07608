package io.switchboard.domain;

import java.util.Map;
import java.util.Objects;

/**
 * An event on its way into a room, before the log assigns its id and timestamp.
 *
 * @param data JSON text of the event's data (any JSON value)
 * @param meta extra top-level string fields a dialect needs ({@code updateType}, {@code correlationId})
 * @param key  coalescing key, or {@code null}
 */
public record EventDraft(RoomName room, String type, String data, Map<String, String> meta, boolean critical, String key) {
    public EventDraft {
        Objects.requireNonNull(room, "room");
        String problem = EventType.problemWith(type);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        data = data == null ? "null" : data;
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }
}

package io.switchboard.adapters.sse;

import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where a stream stands in each of its rooms, as the SSE {@code id:} field: the plain event id
 * for a one-room stream, {@code room:id} pairs joined by commas for several rooms, so one
 * {@code Last-Event-ID} resumes every room. Only the stream's writer touches it.
 */
final class StreamPositions {
    private final List<RoomName> rooms;
    private final Map<RoomName, String> lastIds = new LinkedHashMap<>();

    private StreamPositions(List<RoomName> rooms) {
        this.rooms = rooms;
    }

    /**
     * Reads a {@code Last-Event-ID}.
     *
     * @throws IllegalArgumentException when it is not a position this stream could have sent
     */
    static StreamPositions parse(List<RoomName> rooms, String lastEventId) {
        StreamPositions positions = new StreamPositions(rooms);
        if (lastEventId == null || lastEventId.isBlank()) {
            return positions;
        }
        if (rooms.size() == 1 && lastEventId.indexOf(':') < 0) {
            positions.lastIds.put(rooms.getFirst(), EventId.parse(lastEventId.trim()).toString());
            return positions;
        }
        for (String pair : lastEventId.split(",")) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Last-Event-ID must be room:id pairs separated by commas");
            }
            String room = pair.substring(0, colon).trim();
            if (RoomName.problemWith(room) == null && rooms.contains(new RoomName(room))) {
                positions.lastIds.put(new RoomName(room), EventId.parse(pair.substring(colon + 1).trim()).toString());
            }
        }
        return positions;
    }

    /** The id to resume {@code room} from, or {@code null} to start live. */
    String since(RoomName room) {
        return lastIds.get(room);
    }

    /** Records an event sent and returns the stream's new {@code id:} value. */
    String advance(RoomName room, String id) {
        lastIds.put(room, id);
        if (rooms.size() == 1) {
            return id;
        }
        StringJoiner joined = new StringJoiner(",");
        for (RoomName r : rooms) {
            String last = lastIds.get(r);
            if (last != null) {
                joined.add(r.value() + ":" + last);
            }
        }
        return joined.toString();
    }
}

package io.switchboard.application.hub;

import io.switchboard.application.port.in.AnnounceAccessChangeUseCase;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Map;

/**
 * Announces access changes through the event bus, in the hub's own room {@code $access}: every node
 * hears the bus (a PostgreSQL cluster within milliseconds), and each node's {@link Hub} rechecks its
 * local subscriptions of the named room when it hears one.
 */
public final class AccessChanges implements AnnounceAccessChangeUseCase {
    /** The room of access-change announcements; no client may join it. */
    public static final RoomName ROOM = new RoomName("$access");
    private static final String EVENT_TYPE = "access.changed";

    private final EventBus bus;

    public AccessChanges(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public void accessChanged(RoomName room) {
        // A room name has no character that needs escaping in a JSON string.
        bus.append(List.of(new EventDraft(ROOM, EVENT_TYPE, "\"" + room.value() + "\"", Map.of(), false, null)));
    }

    /** The room an announcement names. */
    static RoomName roomOf(Event announcement) {
        String data = announcement.data();
        return new RoomName(data.substring(1, data.length() - 1));
    }
}

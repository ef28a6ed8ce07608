package io.switchboard.application.rooms;

import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.domain.RoomName;

import java.util.Map;
import java.util.Set;

/**
 * Which namespaces hold only declared rooms ({@code must-exist}) and what a client is told when it
 * names an undeclared one (e.g. "Webhook not found").
 */
public final class RoomRules {
    private final Set<String> mustExist;
    private final Map<String, String> notFoundMessages;
    private final RoomDirectory directory;

    public RoomRules(Set<String> mustExist, Map<String, String> notFoundMessages, RoomDirectory directory) {
        this.mustExist = Set.copyOf(mustExist);
        this.notFoundMessages = Map.copyOf(notFoundMessages);
        this.directory = directory;
    }

    /** The message for a room that must exist but is not declared, or {@code null} when the room may be used. */
    public String missing(RoomName room) {
        if (!mustExist.contains(room.namespace()) || directory.declared(room)) {
            return null;
        }
        return notFoundMessage(room);
    }

    /** What a client is told about an undeclared room of this room's namespace. */
    public String notFoundMessage(RoomName room) {
        return notFoundMessages.getOrDefault(room.namespace(), "room " + room + " does not exist");
    }

    /** Declares {@code room}; whether it was new. */
    public boolean declare(RoomName room) {
        return directory.declare(room);
    }

    /** Removes a declared room; whether it was declared. */
    public boolean remove(RoomName room) {
        return directory.remove(room);
    }

    public boolean declared(RoomName room) {
        return directory.declared(room);
    }
}

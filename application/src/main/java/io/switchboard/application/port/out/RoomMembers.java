package io.switchboard.application.port.out;

import io.switchboard.domain.RoomName;

import java.util.List;

/** Who belongs to which room, for namespaces whose policy is {@code members} (SPEC 8). */
public interface RoomMembers {

    boolean isMember(RoomName room, String userId);

    void add(RoomName room, String userId);

    /** @return whether the user was a member */
    boolean remove(RoomName room, String userId);

    /** The room's members, sorted. */
    List<String> members(RoomName room);
}

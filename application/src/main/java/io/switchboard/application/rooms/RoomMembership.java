package io.switchboard.application.rooms;

import io.switchboard.application.port.in.AnnounceAccessChangeUseCase;
import io.switchboard.application.port.out.RoomMembers;
import io.switchboard.domain.RoomName;

import java.util.List;

/**
 * The membership lists the {@code members} room policy reads, as the backend keeps them. Removing a
 * member announces the change, so the member's open subscriptions to the room end on every node (SPEC 14).
 */
public final class RoomMembership {
    private final RoomMembers members;
    private final AnnounceAccessChangeUseCase accessChanges;

    public RoomMembership(RoomMembers members, AnnounceAccessChangeUseCase accessChanges) {
        this.members = members;
        this.accessChanges = accessChanges;
    }

    public void add(RoomName room, String userId) {
        members.add(room, userId);
    }

    /** @return whether the user was a member */
    public boolean remove(RoomName room, String userId) {
        boolean removed = members.remove(room, userId);
        if (removed) {
            accessChanges.accessChanged(room);
        }
        return removed;
    }

    /** The room's members, sorted. */
    public List<String> members(RoomName room) {
        return members.members(room);
    }
}

package io.switchboard.application.port.in;

import io.switchboard.domain.RoomName;

/**
 * Tells every node of the hub that who may hold a room has changed (a member removed, a declared room
 * deleted), so that each ends the open subscriptions the room's rules now refuse (SPEC 14).
 */
public interface AnnounceAccessChangeUseCase {

    void accessChanged(RoomName room);
}

package io.switchboard.application.port;

import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.Objects;

/**
 * A room's state document: what a dashboard needs to draw itself whole.
 *
 * @param state  JSON text
 * @param lastId the room's last event id when the state was stored; events after it come on top
 */
public record RoomState(RoomName room, String state, EventId lastId) {
    public RoomState {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastId, "lastId");
    }
}

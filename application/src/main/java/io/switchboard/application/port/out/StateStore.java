package io.switchboard.application.port.out;

import io.switchboard.application.port.RoomState;
import io.switchboard.domain.RoomName;
import java.util.Optional;

/** Each room's current state document (a last-value cache), with the event id it reflects. */
public interface StateStore {

    Optional<RoomState> get(RoomName room);

    void put(RoomState state);
}

package io.switchboard.application.port.out;

import io.switchboard.domain.RoomName;

/** Rooms declared to exist, for namespaces configured with {@code must-exist} (and webhooks). */
public interface RoomDirectory {

    boolean declared(RoomName room);

    /** @return whether the room was new */
    boolean declare(RoomName room);

    /** @return whether the room was declared */
    boolean remove(RoomName room);
}

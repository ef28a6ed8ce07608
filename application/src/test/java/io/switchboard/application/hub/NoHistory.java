package io.switchboard.application.hub;

import io.switchboard.application.port.out.EventLog;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Optional;

/** An event log of rooms that never had an event. */
public final class NoHistory implements EventLog {
    @Override
    public Replay readSince(RoomName room, EventId since) {
        return new Replay.Gap(List.of(), Optional.empty());
    }

    @Override
    public Optional<EventId> lastId(RoomName room) {
        return Optional.empty();
    }
}

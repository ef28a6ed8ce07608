package io.switchboard.application.port.out;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Optional;

/**
 * How far the domain-event bridge has read an intake room, kept in the storage together with the
 * events it published from it. Moving the position and storing those events is one transaction, so
 * of several nodes sharing the storage exactly one bridges each intake event, and a restarted node
 * goes on after the last one bridged.
 */
public interface BridgePositions {

    /**
     * The id of the newest intake event bridged from {@code intake}; when none was, the room's position
     * before its first event (as {@link EventLog#lastId} gives for an empty room).
     */
    EventId position(RoomName intake);

    /**
     * In one transaction, and only while the position of {@code intake} is still {@code from}: stores
     * {@code drafts} as {@link EventBus#append} does (ids assigned, listeners told after commit; none
     * is fine) and moves the position to {@code to}.
     *
     * @return the stored events in draft order; empty when the position had already moved (another
     *         node bridged the event first), and then nothing was stored
     */
    Optional<List<Event>> advance(RoomName intake, EventId from, EventId to, List<EventDraft> drafts);
}

package io.switchboard.application.bridge;

import io.switchboard.application.port.out.BridgePositions;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.List;

/**
 * The bus the events bridged from one intake event are appended to: the append also moves the
 * intake position from the previous event to this one, in the same transaction, or fails with
 * {@link Lost} when another node moved it first.
 */
final class IntakeClaim implements EventBus {
    private final BridgePositions positions;
    private final RoomName intake;
    private final EventId from;
    private final EventId to;

    IntakeClaim(BridgePositions positions, RoomName intake, EventId from, EventId to) {
        this.positions = positions;
        this.intake = intake;
        this.from = from;
        this.to = to;
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        return positions.advance(intake, from, to, drafts).orElseThrow(Lost::new);
    }

    /** Moves the position without publishing anything: the event was unmatched, unroutable or rejected. */
    void alone() {
        append(List.of());
    }

    @Override
    public void subscribe(EventListener listener) {
        throw new UnsupportedOperationException("an intake claim only appends");
    }

    /** Another node bridged the intake event; nothing was stored. */
    static final class Lost extends RuntimeException {
        Lost() {
            super("the intake event was bridged by another node", null, false, false);
        }
    }
}

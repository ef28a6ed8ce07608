package io.switchboard.application.bridge;

import io.switchboard.application.port.in.DomainEvent;
import io.switchboard.application.port.in.DomainEventCommand;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.port.out.BridgePositions;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.application.hub.HubMetrics.BridgeOutcome;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.RoomName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The bridge's bus intake: domain event envelopes published as events into the intake room (by an
 * application's transactional outbox, or the publish API) are bridged by the same rules as
 * {@code POST /api/v1/domain-events}.
 *
 * <p>Every node hears every intake event and tries to bridge it; the storage decides. Each intake
 * event is bridged in one transaction that stores its room events and moves the intake position
 * from the previous event to it ({@link BridgePositions#advance}), so exactly one node succeeds, in
 * intake order, and a node that lost re-reads the position and goes on from there. The position
 * is stored, so a restarted node resumes after the last event bridged. A compare-and-set on one
 * position row was chosen over claiming each event in a table of bridged events: it also carries
 * the order (event n+1 cannot be bridged before n) and the resume point, and needs no clean-up.
 *
 * <p>Reading and bridging happen on the worker, one drain at a time; the bus listener only wakes it.
 */
public final class BusIntake implements EventBus.EventListener {
    private static final System.Logger LOG = System.getLogger(BusIntake.class.getName());

    private final RoomName room;
    private final DomainEventBridge bridge;
    private final Function<EventBus, PublishEventsUseCase> publishVia;
    private final BridgePositions positions;
    private final EventLog log;
    private final HubMetrics metrics;
    private final Executor worker;
    private final AtomicBoolean due = new AtomicBoolean();

    /**
     * @param publishVia the publish use case appending to a given bus (validation and redaction as for any publish);
     *                   it must not accept the intake room itself
     * @param worker     runs drains; one at a time is enough, as they are serialized anyway
     */
    public BusIntake(RoomName room, DomainEventBridge bridge, Function<EventBus, PublishEventsUseCase> publishVia,
                     BridgePositions positions, EventLog log, HubMetrics metrics, Executor worker) {
        if (!room.reserved()) {
            throw new IllegalArgumentException("the intake room must be one of the hub's own ($) rooms, not " + room);
        }
        this.room = room;
        this.bridge = bridge;
        this.publishVia = publishVia;
        this.positions = positions;
        this.log = log;
        this.metrics = metrics;
        this.worker = worker;
    }

    public RoomName room() {
        return room;
    }

    @Override
    public void onEvent(Event event) {
        if (event.room().equals(room)) {
            wake();
        }
    }

    /** Has the worker bridge what is pending; call at start and now and then, for what no notification announced. */
    public void wake() {
        if (!due.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                due.set(false);
                try {
                    drain();
                } catch (RuntimeException e) {
                    // e.g. the database is unreachable: the position did not move; the next wake retries
                    LOG.log(System.Logger.Level.WARNING, "bridging the intake room " + room + " failed; will retry: " + e.getMessage(), e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            due.set(false);
        }
    }

    /**
     * Bridges every intake event after the stored position, in id order, until none is left.
     *
     * @return how many intake events this node bridged (others may have been bridged by other nodes meanwhile)
     */
    public synchronized int drain() {
        int bridged = 0;
        EventId position = positions.position(room);
        while (true) {
            Replay replay = log.readSince(room, position);
            if (replay instanceof Replay.Lost lost) {
                if (!skipLost(position, lost)) {
                    return bridged;
                }
                position = positions.position(room);
                continue;
            }
            List<Event> events = ((Replay.Gap) replay).events();
            if (events.isEmpty()) {
                return bridged;
            }
            for (Event event : events) {
                if (!bridge(event, position)) {
                    break; // another node moved the position: read it again
                }
                bridged++;
                position = event.id();
            }
            position = positions.position(room);
        }
    }

    /** Bridges one intake event, moving the position from {@code from} to it; false when another node had done so. */
    private boolean bridge(Event event, EventId from) {
        IntakeClaim claim = new IntakeClaim(positions, room, from, event.id());
        List<Problem> problems = new ArrayList<>();
        DomainEvent envelope = IntakeEnvelope.read(event.data(), problems);
        try {
            bridge.publish(new DomainEventCommand(List.of(envelope), false, problems), publishVia.apply(claim), claim::alone);
            return true;
        } catch (InvalidInputException e) {
            // malformed, or its room events cannot be published: retrying would not help, so it is skipped
            try {
                claim.alone();
            } catch (IntakeClaim.Lost lost) {
                return false;
            }
            metrics.bridged(BridgeOutcome.REJECTED);
            LOG.log(System.Logger.Level.WARNING, "intake event {0} of room {1} is not bridged: {2}", event.id(), room,
                    e.problems().stream().map(p -> (p.field().isEmpty() ? "" : p.field() + ": ") + p.message()).toList());
            return true;
        } catch (IntakeClaim.Lost lost) {
            return false;
        }
    }

    /**
     * The history no longer holds the events after {@code position} (retention trimmed them before
     * they were bridged, e.g. while every node was down): skips to the oldest event held.
     */
    private boolean skipLost(EventId position, Replay.Lost lost) {
        Optional<EventId> before = lost.oldestId().map(oldest -> new EventId(oldest.value() - 1)).or(lost::lastId);
        if (before.isEmpty() || !before.get().after(position)) {
            LOG.log(System.Logger.Level.ERROR, "cannot read the intake room " + room + " after event " + position + ": "
                    + lost.reason());
            return false;
        }
        LOG.log(System.Logger.Level.ERROR, "intake events {0} to {1} of room {2} left the history before they were bridged "
                + "(hub.history retention); they are skipped", String.valueOf(position.value() + 1), before.get(), room);
        positions.advance(room, position, before.get(), List.of());
        return true;
    }
}

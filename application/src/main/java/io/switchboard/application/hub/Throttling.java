package io.switchboard.application.hub;

import io.switchboard.domain.Coalescer;
import io.switchboard.domain.Event;
import io.switchboard.domain.RoomName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live fan-out of throttled namespaces: each room with keyed events in flight has a
 * {@link Coalescer}, and one shared scheduler releases held events when their windows end.
 * Coalescing is live-only: the log keeps every event, so a replay or resume shows them all.
 */
final class Throttling {
    private static final System.Logger LOG = System.getLogger(Throttling.class.getName());

    private final DeliveryRules rules;
    private final ScheduledExecutorService timer;
    private final HubMetrics metrics;
    private final Consumer<List<Event>> fanOut;
    private final Ticker ticker;
    private final Map<RoomName, RoomWindows> rooms = new ConcurrentHashMap<>();

    /**
     * @param timer  where window ends are scheduled; {@code null} only when no namespace is throttled
     * @param fanOut hands a run of consecutive events of one room to its subscribers; called under the
     *               room's lock, in id order
     * @param ticker where windows start and end; the timer's delays are measured on it
     */
    Throttling(DeliveryRules rules, ScheduledExecutorService timer, HubMetrics metrics, Consumer<List<Event>> fanOut, Ticker ticker) {
        if (!rules.throttles().isEmpty() && timer == null) {
            throw new IllegalArgumentException("throttled namespaces need a timer");
        }
        this.rules = rules;
        this.timer = timer;
        this.metrics = metrics;
        this.fanOut = fanOut;
        this.ticker = ticker;
    }

    /** One room's coalescer; {@code retired} once it was removed from the map, so a late user takes a new one. */
    private static final class RoomWindows {
        final Coalescer coalescer;
        long scheduledFor = Long.MAX_VALUE;
        boolean retired;

        RoomWindows(Duration window) {
            this.coalescer = new Coalescer(window);
        }
    }

    /**
     * Delivers a live event now, or holds it for its key's window. Called by the bus in id order per
     * room. An event without a key in a room with nothing in flight takes the direct path.
     */
    void offer(Event event) {
        Duration window = rules.throttle(event.room());
        if (window == null) {
            fanOut.accept(List.of(event));
            return;
        }
        while (true) {
            RoomWindows room = event.key() == null ? rooms.get(event.room())
                    : rooms.computeIfAbsent(event.room(), r -> new RoomWindows(window));
            if (room == null) {
                fanOut.accept(List.of(event));
                return;
            }
            synchronized (room) {
                if (room.retired) {
                    continue;
                }
                apply(room, room.coalescer.offer(event, ticker.nanos()));
                return;
            }
        }
    }

    /** Delivers a run of consecutive events of one room together, unless its namespace is throttled. */
    void offer(List<Event> run) {
        if (rules.throttle(run.getFirst().room()) == null) {
            fanOut.accept(run);
        } else {
            run.forEach(this::offer);
        }
    }

    /** Forgets rooms whose windows all ended quietly, and releases anything whose timer was missed. Call periodically. */
    void sweep() {
        long now = ticker.nanos();
        for (Map.Entry<RoomName, RoomWindows> entry : rooms.entrySet()) {
            RoomWindows room = entry.getValue();
            synchronized (room) {
                apply(room, room.coalescer.due(now));
                if (room.coalescer.forgetQuiet(now)) {
                    room.retired = true;
                    rooms.remove(entry.getKey(), room);
                }
            }
        }
    }

    /** Rooms with a coalescer, for tests. */
    int activeRooms() {
        return rooms.size();
    }

    private void windowEnded(RoomWindows room) {
        synchronized (room) {
            room.scheduledFor = Long.MAX_VALUE;
            if (!room.retired) {
                apply(room, room.coalescer.due(ticker.nanos()));
            }
        }
    }

    /** Sends what the step released, counts what it superseded, and makes sure the next window end has a timer. */
    private void apply(RoomWindows room, Coalescer.Step step) {
        for (Event superseded : step.superseded()) {
            metrics.throttled(1);
            LOG.log(System.Logger.Level.DEBUG, "throttled event {0} in room {1} (key {2}): a later one replaces it",
                    superseded.id(), superseded.room(), superseded.key());
        }
        if (!step.deliver().isEmpty()) {
            fanOut.accept(step.deliver());
        }
        long due = room.coalescer.nextDue();
        if (due < room.scheduledFor) {
            room.scheduledFor = due;
            long delay = Math.max(0, due - ticker.nanos());
            try {
                timer.schedule(() -> windowEnded(room), delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The hub is stopping; the held event stays in the log for a resume.
                LOG.log(System.Logger.Level.DEBUG, "window end not scheduled: the timer is shut down");
            }
        }
    }
}

package io.switchboard.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Throttling of one room's live events (SPEC 6 "Coalescing / throttling"). Per {@code key}, the
 * first event of a quiet period goes out at once and opens a window; later ones within the window
 * are held — only the latest, the one it replaces is superseded — and the held one goes out when the
 * window ends, which opens the next window. Critical events and events without a key go out at once.
 *
 * <p>Order wins over the window: whenever an event goes out, every held event with a lower id goes
 * out first (and its key's window starts again). So a subscriber never sees a room's ids go
 * backwards, at the price that in a room with mixed traffic a key may go out more than once per
 * window.
 *
 * <p>Time is nanoseconds of any monotonic clock, passed in, so tests drive it. Not thread-safe:
 * one per room, used under that room's lock.
 */
public final class Coalescer {
    private static final Comparator<Event> BY_ID = Comparator.comparing(Event::id);

    private final long windowNanos;
    private final Map<String, Window> windows = new HashMap<>();

    public Coalescer(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a throttle window must be positive");
        }
        this.windowNanos = window.toNanos();
    }

    /** What happens after one step: the events to send now, in id order, and the events dropped for a later one of their key. */
    public record Step(List<Event> deliver, List<Event> superseded) {
        static final Step NOTHING = new Step(List.of(), List.of());
    }

    /** One key's window: it ends at {@code endsAt}; {@code held} goes out then. */
    private static final class Window {
        long endsAt;
        Event held;

        Window(long endsAt) {
            this.endsAt = endsAt;
        }
    }

    /** Takes one event of the room, in id order. */
    public Step offer(Event event, long now) {
        List<Event> deliver = new ArrayList<>(releaseDue(now));
        List<Event> superseded = new ArrayList<>(1);
        String key = event.key();
        if (key == null) {
            release(heldBelow(event.id()), now, deliver);
            deliver.add(event);
            return new Step(deliver, superseded);
        }
        Window window = windows.get(key);
        if (event.critical()) {
            if (window != null && window.held != null) {
                superseded.add(window.held);
                window.held = null;
            }
        } else if (window != null && now < window.endsAt) {
            if (window.held != null) {
                superseded.add(window.held);
            }
            window.held = event;
            return new Step(deliver, superseded);
        }
        release(heldBelow(event.id()), now, deliver);
        deliver.add(event);
        windows.computeIfAbsent(key, k -> new Window(now)).endsAt = now + windowNanos;
        return new Step(deliver, superseded);
    }

    /** The held events whose windows ended by {@code now} (and any held below them), in id order. */
    public Step due(long now) {
        List<Event> deliver = releaseDue(now);
        return deliver.isEmpty() ? Step.NOTHING : new Step(deliver, List.of());
    }

    /** When the next held event is due; {@link Long#MAX_VALUE} when nothing is held. */
    public long nextDue() {
        long next = Long.MAX_VALUE;
        for (Window window : windows.values()) {
            if (window.held != null) {
                next = Math.min(next, window.endsAt);
            }
        }
        return next;
    }

    /** Forgets windows that ended with nothing held; {@code true} when nothing is left, so the room's coalescer may go. */
    public boolean forgetQuiet(long now) {
        windows.values().removeIf(window -> window.held == null && now >= window.endsAt);
        return windows.isEmpty();
    }

    private List<Event> releaseDue(long now) {
        EventId highestDue = null;
        for (Window window : windows.values()) {
            if (window.held != null && now >= window.endsAt
                    && (highestDue == null || window.held.id().after(highestDue))) {
                highestDue = window.held.id();
            }
        }
        if (highestDue == null) {
            return new ArrayList<>();
        }
        List<Event> deliver = new ArrayList<>();
        release(heldBelow(new EventId(highestDue.value() + 1)), now, deliver);
        return deliver;
    }

    /** Held events with ids below {@code id}, in id order. */
    private List<Event> heldBelow(EventId id) {
        List<Event> below = new ArrayList<>();
        for (Window window : windows.values()) {
            if (window.held != null && id.after(window.held.id())) {
                below.add(window.held);
            }
        }
        below.sort(BY_ID);
        return below;
    }

    /** Sends {@code held} now: each leaves its window, which starts again since its key just went out. */
    private void release(List<Event> held, long now, List<Event> deliver) {
        for (Event event : held) {
            Window window = windows.get(event.key());
            window.held = null;
            window.endsAt = now + windowNanos;
            deliver.add(event);
        }
    }

    /** Keys with a window open, for tests and diagnostics. */
    int openWindows() {
        return windows.size();
    }

    @Override
    public String toString() {
        return "Coalescer[" + windowNanos / 1_000_000 + "ms, keys=" + windows.keySet() + "]";
    }
}

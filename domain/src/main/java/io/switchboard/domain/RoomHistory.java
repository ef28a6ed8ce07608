package io.switchboard.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One room's recent events (a ring: the oldest leaves when a new one comes at capacity), bounded by count and age, answering resume questions.
 * Ids are {@code base + 1, base + 2, ...}: a {@code since} below {@code base} comes from an earlier
 * incarnation of the stream. Not thread-safe: the owner serialises access per room.
 */
public final class RoomHistory {
    private final RoomName room;
    private final ArrayDeque<Event> held = new ArrayDeque<>();
    private final int capacity;
    private final Duration maxAge;
    private final long base;
    private long lastId;

    public RoomHistory(RoomName room, int capacity, Duration maxAge, long base) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1");
        }
        this.room = room;
        this.capacity = capacity;
        this.maxAge = maxAge;
        this.base = base;
        this.lastId = base;
    }

    public Event append(EventDraft draft, Instant now) {
        if (!draft.room().equals(room)) {
            throw new IllegalArgumentException("draft for " + draft.room() + " appended to " + room);
        }
        Event event = Event.from(draft, new EventId(++lastId), now);
        if (held.size() == capacity) {
            held.removeFirst();
        }
        held.addLast(event);
        return event;
    }

    /** The newest event's id; before the first event, the position just before it (the base). */
    public Optional<EventId> lastId() {
        return Optional.of(new EventId(lastId));
    }

    /** Exactly the events after {@code since}, or why that gap can no longer be replayed. */
    public Replay since(EventId since, Instant now) {
        trimOlderThan(now.minus(maxAge));
        long position = since.value();
        if (position < base) {
            return new Replay.Lost(ResumeFailure.STREAM_RESET, oldestId(), lastId());
        }
        if (position > lastId) {
            return new Replay.Lost(ResumeFailure.UNKNOWN_POSITION, oldestId(), lastId());
        }
        long firstHeld = held.isEmpty() ? lastId + 1 : held.getFirst().id().value();
        if (position < firstHeld - 1) {
            return new Replay.Lost(ResumeFailure.HISTORY_TRIMMED, oldestId(), lastId());
        }
        List<Event> gap = new ArrayList<>((int) (lastId - position));
        for (Iterator<Event> it = held.descendingIterator(); it.hasNext(); ) {
            Event event = it.next();
            if (event.id().value() <= position) {
                break;
            }
            gap.add(event);
        }
        return new Replay.Gap(gap.reversed(), lastId());
    }

    private Optional<EventId> oldestId() {
        return held.isEmpty() ? Optional.empty() : Optional.of(held.getFirst().id());
    }

    private void trimOlderThan(Instant cutoff) {
        while (!held.isEmpty() && held.getFirst().timestamp().isBefore(cutoff)) {
            held.removeFirst();
        }
    }
}

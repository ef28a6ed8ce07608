package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.ResumeFailure;
import io.switchboard.domain.RoomName;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Resume answers of a JDBC event log, honouring the configured retention exactly as
 * {@link io.switchboard.domain.RoomHistory} does; rows outside it are deleted every
 * {@value #TRIM_EVERY} events of a room. Callers pass the room's last committed id.
 */
final class RetainedHistory {
    static final int TRIM_EVERY = 100;
    private static final System.Logger LOG = System.getLogger(RetainedHistory.class.getName());

    private final EventRows rows;
    private final HistoryRetention retention;
    private final Clock clock;

    RetainedHistory(EventRows rows, HistoryRetention retention, Clock clock) {
        this.rows = rows;
        this.retention = retention;
        this.clock = clock;
    }

    Replay readSince(RoomName room, long last, EventId since) {
        Optional<EventId> lastId = Optional.of(new EventId(last));
        long position = since.value();
        if (position > last) {
            return new Replay.Lost(ResumeFailure.UNKNOWN_POSITION, oldestHeld(room, last), lastId);
        }
        if (position >= windowStart(last) - 1) {
            List<Event> gap = rows.after(room, position, last);
            boolean complete = gap.size() == last - position;
            if (complete && (gap.isEmpty() || !gap.getFirst().timestamp().isBefore(cutoff()))) {
                return new Replay.Gap(gap, lastId);
            }
        }
        return new Replay.Lost(ResumeFailure.HISTORY_TRIMMED, oldestHeld(room, last), lastId);
    }

    /** Deletes the room's rows outside the retention when its last id crossed a multiple of {@value #TRIM_EVERY}. */
    void trimIfDue(RoomName room, long previousLast, long last) {
        if (previousLast / TRIM_EVERY == last / TRIM_EVERY) {
            return;
        }
        try {
            long keepFrom = oldestHeld(room, last).map(EventId::value).orElse(last + 1);
            rows.deleteBefore(room, keepFrom);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete old events of room " + room, e);
        }
    }

    /**
     * The oldest event still held — the first one in the count window that is not older than the
     * age limit; everything before it counts as gone.
     */
    private Optional<EventId> oldestHeld(RoomName room, long last) {
        return last == 0 ? Optional.empty() : rows.firstSince(room, windowStart(last), cutoff());
    }

    private long windowStart(long last) {
        return Math.max(1, last - retention.maxEvents() + 1);
    }

    private Instant cutoff() {
        return clock.instant().minus(retention.maxAge());
    }
}

package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.EventBus.EventListener;
import io.switchboard.domain.Event;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands this node's listeners every committed event of every node sharing the database: per
 * room once each, in id order. A cursor per room holds the last id delivered; whatever says that
 * a room has new events — a local commit, a notification, the poll — goes through
 * {@link #committed} or {@link #announced}, which deliver only the next ids, under the room's
 * cursor lock.
 * <p>
 * Appends allocate a room's ids under its row lock, held until commit, so a room's ids commit in
 * id order: once a row is visible, every lower id of the room is committed too, and an id missing
 * below a visible row was deleted by trimming (this node fell behind the retention).
 */
final class CommittedFeed implements PostgresNotifications.Receiver {
    /** Rows read per query while catching up. */
    static final int READ_LIMIT = 500;
    private static final System.Logger LOG = System.getLogger(CommittedFeed.class.getName());

    private final EventRows rows;
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<RoomName, Cursor> cursors = new ConcurrentHashMap<>();

    CommittedFeed(EventRows rows) {
        this.rows = rows;
    }

    /** Before first use: events up to the rooms' present last ids were committed before this node listened. */
    @Override
    public void start() {
        rows.lastIds().forEach((room, lastId) -> cursors.put(room, new Cursor(lastId)));
    }

    /** A notification says {@code "<lastId> <room>"}: some node committed the room's events up to that id. */
    @Override
    public void notified(String payload) {
        int space = payload.indexOf(' ');
        try {
            announced(new RoomName(payload.substring(space + 1)), Long.parseLong(payload.substring(0, space)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring notification '" + payload + "': " + e.getMessage());
        }
    }

    /** Every room's last id, in case a notification was lost. */
    @Override
    public void poll() {
        rows.lastIds().forEach(this::announced);
    }

    void subscribe(EventListener listener) {
        listeners.add(listener);
    }

    /** This node committed {@code events}, the contiguous new ids of one room. */
    void committed(RoomName room, List<Event> events) {
        Cursor cursor = cursor(room);
        cursor.lock.lock();
        try {
            if (events.getFirst().id().value() == cursor.delivered + 1) {
                deliver(cursor, events);
            } else {
                catchUp(room, cursor, events.getLast().id().value());
            }
        } finally {
            cursor.lock.unlock();
        }
    }

    /** Some node committed the room's events up to {@code lastId}. */
    void announced(RoomName room, long lastId) {
        Cursor cursor = cursor(room);
        if (cursor.delivered >= lastId) {
            return;
        }
        cursor.lock.lock();
        try {
            catchUp(room, cursor, lastId);
        } finally {
            cursor.lock.unlock();
        }
    }

    /** Under the cursor's lock: delivers the stored events after the cursor, up to at least {@code lastId} if stored. */
    private void catchUp(RoomName room, Cursor cursor, long lastId) {
        while (cursor.delivered < lastId) {
            List<Event> next = rows.next(room, cursor.delivered, READ_LIMIT);
            if (next.isEmpty()) {
                return;
            }
            long expected = cursor.delivered + 1;
            for (Event event : next) {
                if (event.id().value() > expected) {
                    LOG.log(System.Logger.Level.WARNING, "events " + expected + ".." + (event.id().value() - 1)
                            + " of room " + room + " were deleted by the history retention before this node delivered them");
                }
                expected = event.id().value() + 1;
            }
            deliver(cursor, next);
        }
    }

    /** Hands the listeners a run of the room's events read together (one fan-out for the lot). */
    private void deliver(Cursor cursor, List<Event> run) {
        cursor.delivered = run.getLast().id().value();
        for (EventListener listener : listeners) {
            try {
                listener.onEvents(run);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener failed on events " + run.getFirst().room() + "/"
                        + run.getFirst().id() + ".." + run.getLast().id(), e);
            }
        }
    }

    private Cursor cursor(RoomName room) {
        return cursors.computeIfAbsent(room, r -> new Cursor(0));
    }

    private static final class Cursor {
        final ReentrantLock lock = new ReentrantLock();
        volatile long delivered;

        Cursor(long delivered) {
            this.delivered = delivered;
        }
    }
}

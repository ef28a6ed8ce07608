package io.switchboard.application.hub;

import io.switchboard.domain.RoomName;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's membership of one room. It is registered before the room's history is read,
 * buffers live events until the replay is queued, then forwards only ids above the last one sent:
 * nothing published during a replay is lost or doubled.
 */
final class Subscription {
    private final Connection connection;
    private final RoomName room;
    private List<Delivery> pending = new ArrayList<>();
    /**
     * Set (under the lock) once the replay is queued. From then on live events skip the lock: a
     * room's live events are offered one run at a time in id order (the bus announces them under the
     * room's lock, and a subscription is always offered them by the same fan-out lane), so
     * {@link #lastSent} has one writer, and the volatile write of {@code live} publishes its value.
     */
    private volatile boolean live;
    private long lastSent = -1;

    Subscription(Connection connection, RoomName room) {
        this.connection = connection;
        this.room = room;
    }

    Connection connection() {
        return connection;
    }

    RoomName room() {
        return room;
    }

    /**
     * The last id queued for the connection (-1: none yet). Written by the room's fan-out; a reader on
     * another thread may see an older value, which costs at most events sent again, never one missed.
     */
    long lastSent() {
        return lastSent;
    }

    /** Offers live deliveries, consecutive events of the room in id order, to the connection. */
    void offerLive(List<Delivery> run) {
        if (live) {
            sendNew(run);
            return;
        }
        synchronized (this) {
            if (pending != null) {
                pending.addAll(run);
            } else {
                sendNew(run);
            }
        }
    }

    /**
     * Sends the answers ({@code joined}, {@code state}) and the replayed events, then whatever arrived
     * live meanwhile, and goes live.
     *
     * @param position the room's last id when its history was read; live events up to it are not sent again
     */
    synchronized void start(List<Outbound> answers, List<Delivery> replay, long position) {
        answers.forEach(connection::send);
        sendNew(replay);
        lastSent = Math.max(lastSent, position);
        sendNew(pending);
        pending = null;
        live = true;
    }

    /** Queues the deliveries of an id-ordered run that are newer than the last one sent, with one offer. */
    private void sendNew(List<Delivery> run) {
        int from = 0;
        while (from < run.size() && run.get(from).event().id().value() <= lastSent) {
            from++;
        }
        if (from < run.size()) {
            lastSent = run.getLast().event().id().value();
            connection.send(from == 0 ? run : run.subList(from, run.size()));
        }
    }
}

package io.switchboard.application.hub;

import io.switchboard.domain.Event;
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

    synchronized void offerLive(Delivery delivery) {
        if (pending != null) {
            pending.add(delivery);
        } else {
            sendIfNew(delivery);
        }
    }

    /**
     * Sends the answers ({@code joined}, {@code state}) and the replayed events, then whatever arrived
     * live meanwhile, and goes live.
     *
     * @param position the room's last id when its history was read; live events up to it are not sent again
     */
    synchronized void start(List<Outbound> answers, List<Event> replay, long position) {
        answers.forEach(connection::send);
        long now = System.nanoTime();
        for (Event event : replay) {
            sendIfNew(new Delivery(event, now, false));
        }
        lastSent = Math.max(lastSent, position);
        for (Delivery delivery : pending) {
            sendIfNew(delivery);
        }
        pending = null;
    }

    private void sendIfNew(Delivery delivery) {
        long id = delivery.event().id().value();
        if (id > lastSent) {
            lastSent = id;
            connection.send(delivery);
        }
    }
}

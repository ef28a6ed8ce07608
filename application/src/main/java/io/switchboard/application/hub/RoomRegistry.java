package io.switchboard.application.hub;

import io.switchboard.domain.ConnectionId;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which local connections are in which room, split into shards by room name so joins, leaves and
 * broadcasts in different rooms do not contend. A room exists while it has a subscriber.
 */
final class RoomRegistry {
    private static final int SHARDS = 32;
    private static final Subscription[] NONE = new Subscription[0];

    @SuppressWarnings("unchecked")
    private final Map<RoomName, Members>[] shards = new Map[SHARDS];

    RoomRegistry() {
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new ConcurrentHashMap<>();
        }
    }

    /**
     * One room's subscribers, and an array copy of them for the fan-out: iterating a concurrent map
     * of 10,000 entries per event cost more than the rest of the loop, while rooms change far less
     * often than they receive events. The copy carries the version it was taken at, and is used
     * only while no join or leave has happened since.
     */
    private static final class Members {
        final Map<ConnectionId, Subscription> byConnection = new ConcurrentHashMap<>();
        /** Bumped after every change, inside the room's {@code compute} (so one writer at a time). */
        volatile int version;
        volatile Snapshot snapshot;

        List<Subscription> list() {
            int current = version;
            Snapshot s = snapshot;
            if (s == null || s.version != current) {
                // Taken after reading the version, so it holds at least every change up to it.
                s = new Snapshot(current, byConnection.values().toArray(NONE));
                snapshot = s;
            }
            return s.list;
        }
    }

    private static final class Snapshot {
        final int version;
        final List<Subscription> list;

        Snapshot(int version, Subscription[] members) {
            this.version = version;
            this.list = List.of(members);
        }
    }

    /**
     * Adds the subscription unless the room already has {@code limit} members (0: no limit); the
     * check and the add are one atomic step per room.
     */
    boolean add(Subscription subscription, int limit) {
        boolean[] added = {false};
        ConnectionId id = subscription.connection().id();
        shard(subscription.room()).compute(subscription.room(), (room, members) -> {
            if (limit > 0 && members != null && members.byConnection.size() >= limit && !members.byConnection.containsKey(id)) {
                return members;
            }
            Members m = members == null ? new Members() : members;
            m.byConnection.put(id, subscription);
            m.version++;
            added[0] = true;
            return m;
        });
        return added[0];
    }

    void remove(Subscription subscription) {
        shard(subscription.room()).computeIfPresent(subscription.room(), (room, members) -> {
            if (members.byConnection.remove(subscription.connection().id(), subscription)) {
                members.version++;
            }
            return members.byConnection.isEmpty() ? null : members;
        });
    }

    /** The room's subscribers now (a join that completed before this call is included). */
    List<Subscription> members(RoomName room) {
        Members members = shard(room).get(room);
        return members == null ? List.of() : members.list();
    }

    /** How many local subscribers {@code room} has. */
    int size(RoomName room) {
        Members members = shard(room).get(room);
        return members == null ? 0 : members.byConnection.size();
    }

    /** Each room with its number of local subscribers. */
    Map<RoomName, Integer> counts() {
        Map<RoomName, Integer> counts = new java.util.HashMap<>();
        for (Map<RoomName, Members> shard : shards) {
            shard.forEach((room, members) -> counts.put(room, members.byConnection.size()));
        }
        return counts;
    }

    int activeRooms() {
        int count = 0;
        for (Map<RoomName, Members> shard : shards) {
            count += shard.size();
        }
        return count;
    }

    private Map<RoomName, Members> shard(RoomName room) {
        return shards[Math.floorMod(room.hashCode(), SHARDS)];
    }
}

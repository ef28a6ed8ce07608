package io.switchboard.application.hub;

import io.switchboard.domain.ConnectionId;
import io.switchboard.domain.RoomName;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which local connections are in which room, split into shards by room name so joins, leaves and
 * broadcasts in different rooms do not contend. A room exists while it has a subscriber.
 */
final class RoomRegistry {
    private static final int SHARDS = 32;

    @SuppressWarnings("unchecked")
    private final Map<RoomName, Map<ConnectionId, Subscription>>[] shards = new Map[SHARDS];

    RoomRegistry() {
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new ConcurrentHashMap<>();
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
            if (limit > 0 && members != null && members.size() >= limit && !members.containsKey(id)) {
                return members;
            }
            Map<ConnectionId, Subscription> m = members == null ? new ConcurrentHashMap<>() : members;
            m.put(id, subscription);
            added[0] = true;
            return m;
        });
        return added[0];
    }

    void remove(Subscription subscription) {
        shard(subscription.room()).computeIfPresent(subscription.room(), (room, members) -> {
            members.remove(subscription.connection().id(), subscription);
            return members.isEmpty() ? null : members;
        });
    }

    /** The room's subscribers now; a live view, so a broadcast sees joins that happen before it starts. */
    Collection<Subscription> members(RoomName room) {
        Map<ConnectionId, Subscription> members = shard(room).get(room);
        return members == null ? List.of() : members.values();
    }

    /** Each room with its number of local subscribers. */
    Map<RoomName, Integer> counts() {
        Map<RoomName, Integer> counts = new java.util.HashMap<>();
        for (Map<RoomName, Map<ConnectionId, Subscription>> shard : shards) {
            shard.forEach((room, members) -> counts.put(room, members.size()));
        }
        return counts;
    }

    int activeRooms() {
        int count = 0;
        for (Map<RoomName, Map<ConnectionId, Subscription>> shard : shards) {
            count += shard.size();
        }
        return count;
    }

    private Map<RoomName, Map<ConnectionId, Subscription>> shard(RoomName room) {
        return shards[Math.floorMod(room.hashCode(), SHARDS)];
    }
}

package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.RoomMembers;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Room membership in memory; gone on restart. */
final class InMemoryRoomMembers implements RoomMembers {
    private final Map<RoomName, Set<String>> byRoom = new ConcurrentHashMap<>();

    @Override
    public boolean isMember(RoomName room, String userId) {
        Set<String> members = byRoom.get(room);
        return members != null && members.contains(userId);
    }

    @Override
    public void add(RoomName room, String userId) {
        byRoom.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(userId);
    }

    @Override
    public boolean remove(RoomName room, String userId) {
        Set<String> members = byRoom.get(room);
        return members != null && members.remove(userId);
    }

    @Override
    public List<String> members(RoomName room) {
        return byRoom.getOrDefault(room, Set.of()).stream().sorted().toList();
    }
}

package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.PresenceStore;
import io.switchboard.domain.RoomName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Presence of one node (memory and H2 deployments): each room's members by connection id, its joins and leaves told at once. */
final class InMemoryPresence implements PresenceStore {
    private final Map<RoomName, NavigableMap<String, Member>> rooms = new ConcurrentHashMap<>();
    private volatile Listener listener = new Listener() {
        @Override
        public void joined(Member member) {
        }

        @Override
        public void left(Member member) {
        }
    };

    @Override
    public void listen(Listener heard) {
        this.listener = heard;
    }

    @Override
    public boolean add(Member member, int limit) {
        boolean[] added = {false};
        rooms.compute(member.room(), (room, members) -> {
            NavigableMap<String, Member> m = members == null ? new TreeMap<>() : members;
            if ((limit <= 0 || m.size() < limit) && !m.containsKey(member.connectionId())) {
                m.put(member.connectionId(), member);
                added[0] = true;
            }
            return m.isEmpty() ? null : m;
        });
        if (added[0]) {
            listener.joined(member);
        }
        return added[0];
    }

    @Override
    public void remove(RoomName room, String connectionId) {
        Member[] removed = {null};
        rooms.computeIfPresent(room, (name, members) -> {
            removed[0] = members.remove(connectionId);
            return members.isEmpty() ? null : members;
        });
        if (removed[0] != null) {
            listener.left(removed[0]);
        }
    }

    @Override
    public Page page(RoomName room, String after, int limit) {
        Page[] page = {new Page(List.of(), 0, 0, false)};
        // computeIfPresent for the room's lock: a page and its totals are one moment's
        rooms.computeIfPresent(room, (name, members) -> {
            NavigableMap<String, Member> rest = after == null ? members : members.tailMap(after, false);
            List<Member> one = new ArrayList<>(Math.min(limit, rest.size()));
            for (Member member : rest.values()) {
                if (one.size() == limit) {
                    break;
                }
                one.add(member);
            }
            page[0] = new Page(one, users(members.values()), members.size(), rest.size() > one.size());
            return members;
        });
        return page[0];
    }

    @Override
    public List<RoomCount> counts() {
        List<RoomCount> counts = new ArrayList<>();
        for (RoomName room : rooms.keySet()) {
            rooms.computeIfPresent(room, (name, members) -> {
                counts.add(new RoomCount(name, users(members.values()), members.size()));
                return members;
            });
        }
        counts.sort(java.util.Comparator.comparing(c -> c.room().value()));
        return counts;
    }

    private static long users(Iterable<Member> members) {
        Set<String> users = new HashSet<>();
        for (Member member : members) {
            if (member.userId() != null) {
                users.add(member.userId());
            }
        }
        return users.size();
    }
}

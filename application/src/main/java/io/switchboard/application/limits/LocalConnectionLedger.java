package io.switchboard.application.limits;

import io.switchboard.application.port.out.ConnectionLedger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-IP and per-user counts of a single node, in memory. One lock guards them: a decision
 * touches at most two short lists, so the lock is held for microseconds, and concurrent connects
 * can never slip past a limit together.
 */
public final class LocalConnectionLedger implements ConnectionLedger {
    private final Map<String, Place> places = new HashMap<>();
    private final Map<String, Set<Place>> byIp = new HashMap<>();
    private final Map<String, Set<Place>> byUser = new HashMap<>();
    private volatile Node node;

    /** One held place; the sets keep places in admission order, oldest first. */
    private record Place(String slotId, String ip, String userId) {
    }

    @Override
    public void serve(Node node) {
        this.node = node;
    }

    @Override
    public synchronized Verdict admit(Claim claim, Limit perIp, Limit perUser) {
        List<Place> victims = new ArrayList<>();
        if (!makeRoom(byIp.get(claim.ip()), perIp, victims)) {
            return new Verdict.Refused(false);
        }
        if (claim.userId() != null && !makeRoom(byUser.get(claim.userId()), perUser, victims)) {
            return new Verdict.Refused(true);
        }
        victims.forEach(this::remove);
        Place place = new Place(claim.slotId(), claim.ip(), claim.userId());
        places.put(place.slotId(), place);
        byIp.computeIfAbsent(place.ip(), k -> new LinkedHashSet<>()).add(place);
        if (place.userId() != null) {
            byUser.computeIfAbsent(place.userId(), k -> new LinkedHashSet<>()).add(place);
        }
        return new Verdict.Admitted(victims.stream().map(Place::slotId).toList());
    }

    @Override
    public synchronized void release(String slotId) {
        Place place = places.get(slotId);
        if (place != null) {
            remove(place);
        }
    }

    private boolean makeRoom(Set<Place> held, Limit limit, List<Place> victims) {
        Node current = node;
        return held == null || EvictionChoice.makeRoom(List.copyOf(held), limit, victims,
                p -> current == null ? Duration.ZERO : current.idle(p.slotId()));
    }

    private void remove(Place place) {
        places.remove(place.slotId());
        drop(byIp, place.ip(), place);
        if (place.userId() != null) {
            drop(byUser, place.userId(), place);
        }
    }

    private static void drop(Map<String, Set<Place>> index, String key, Place place) {
        Set<Place> set = index.get(key);
        if (set != null && set.remove(place) && set.isEmpty()) {
            index.remove(key);
        }
    }
}

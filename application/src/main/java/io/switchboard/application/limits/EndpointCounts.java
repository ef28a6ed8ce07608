package io.switchboard.application.limits;

import io.switchboard.application.port.EndpointLimits;
import io.switchboard.application.port.out.ConnectionLedger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The connections one endpoint holds on this node, for its {@link EndpointLimits}. Admissions to the
 * endpoint take turns ({@link #lock}) from the endpoint's decision until the new slot is counted, so
 * two concurrent connects never both take its last place; releases and evictions take no turn (they
 * only lower the counts), which keeps an eviction by another endpoint's admission from waiting here.
 */
final class EndpointCounts {
    private final String endpoint;
    private final EndpointLimits limits;
    private final ReentrantLock lock = new ReentrantLock();
    /** By admission sequence: oldest first. */
    private final ConcurrentSkipListMap<Long, Slot> all = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListMap<Long, Slot>> byIp = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListMap<Long, Slot>> byUser = new ConcurrentHashMap<>();

    EndpointCounts(String endpoint, EndpointLimits limits) {
        this.endpoint = endpoint;
        this.limits = limits;
    }

    ReentrantLock lock() {
        return lock;
    }

    /**
     * Adds to {@code victims} the endpoint's connections its policies give up so that one more from
     * {@code ip} for {@code userId} fits; changes nothing. Call holding the {@link #lock}.
     *
     * @return why the endpoint refuses the connection, or {@code null} when it fits
     */
    String makeRoom(String ip, String userId, List<Slot> victims, Function<Slot, Duration> idle) {
        if (!EvictionChoice.makeRoom(held(byIp.get(ip)), new ConnectionLedger.Limit(limits.perIp(), limits.perIpPolicy()), victims, idle)) {
            return "too many connections to " + endpoint + " from this address (limit " + limits.perIp() + ")";
        }
        if (userId != null && !EvictionChoice.makeRoom(held(byUser.get(userId)),
                new ConnectionLedger.Limit(limits.perUser(), limits.perUserPolicy()), victims, idle)) {
            return "too many connections to " + endpoint + " for this user (limit " + limits.perUser() + ")";
        }
        if (!EvictionChoice.makeRoom(held(all), new ConnectionLedger.Limit(limits.total(), limits.totalPolicy()), victims, idle)) {
            return "the endpoint " + endpoint + " is at its connection limit (" + limits.total() + ")";
        }
        return null;
    }

    /** Counts an admitted slot; call holding the {@link #lock}. */
    void add(Slot slot) {
        all.put(slot.sequence(), slot);
        index(byIp, slot.ip(), slot);
        if (slot.userId() != null) {
            index(byUser, slot.userId(), slot);
        }
        if (!slot.held()) {
            // Evicted (by another node, through the ledger) before it was counted here.
            remove(slot);
        }
    }

    void remove(Slot slot) {
        all.remove(slot.sequence());
        unindex(byIp, slot.ip(), slot);
        if (slot.userId() != null) {
            unindex(byUser, slot.userId(), slot);
        }
    }

    /** Connections this endpoint holds on this node. */
    int size() {
        return all.size();
    }

    private static List<Slot> held(ConcurrentSkipListMap<Long, Slot> slots) {
        return slots == null ? List.of() : new ArrayList<>(slots.values());
    }

    private static void index(Map<String, ConcurrentSkipListMap<Long, Slot>> index, String key, Slot slot) {
        index.compute(key, (k, slots) -> {
            ConcurrentSkipListMap<Long, Slot> held = slots == null ? new ConcurrentSkipListMap<>() : slots;
            held.put(slot.sequence(), slot);
            return held;
        });
    }

    private static void unindex(Map<String, ConcurrentSkipListMap<Long, Slot>> index, String key, Slot slot) {
        index.computeIfPresent(key, (k, slots) -> {
            slots.remove(slot.sequence());
            return slots.isEmpty() ? null : slots;
        });
    }
}

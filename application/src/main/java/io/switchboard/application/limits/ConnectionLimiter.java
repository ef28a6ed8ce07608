package io.switchboard.application.limits;

import io.switchboard.application.port.EndpointLimits;
import io.switchboard.application.port.LimitSettings;

import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.port.SlotHolder;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.port.out.ConnectionLedger;
import io.switchboard.domain.CloseCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits a connection only while every count stays within its limit, each with its own policy:
 * attempts per IP and the total are this node's; per IP and per user are kept by the
 * {@link ConnectionLedger}, cluster-wide when the ledger is shared. Each count is checked and taken
 * in one atomic step, so concurrent connects can never slip past a limit together. An endpoint with
 * limits of its own ({@link EndpointLimits}) also counts its connections, on this node: those are
 * decided first, their victims evicted only once the hub's limits admit the connection too.
 */
public final class ConnectionLimiter implements ConnectionLedger.Node {
    private static final System.Logger LOG = System.getLogger(ConnectionLimiter.class.getName());
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final String EVICTED = "evicted by a newer connection";

    private final LimitSettings settings;
    private final AuditTrail audit;
    private final ConnectionLedger ledger;
    private final ConnectionLedger.Limit perIp;
    private final ConnectionLedger.Limit perUser;
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, AttemptWindow> attempts = new ConcurrentHashMap<>();
    private final Map<String, EndpointCounts> endpoints = new HashMap<>();

    /** A single node: per-IP and per-user counts in memory. */
    public ConnectionLimiter(LimitSettings settings, Hub hub, AuditTrail audit) {
        this(settings, hub, audit, new LocalConnectionLedger());
    }

    public ConnectionLimiter(LimitSettings settings, Hub hub, AuditTrail audit, ConnectionLedger ledger) {
        this.settings = settings;
        this.audit = audit;
        this.ledger = ledger;
        this.perIp = new ConnectionLedger.Limit(settings.perIp(), settings.perIpPolicy());
        this.perUser = new ConnectionLedger.Limit(settings.perUser(), settings.perUserPolicy());
        settings.endpoints().forEach((path, limits) -> {
            if (limits.countsConnections()) {
                endpoints.put(path, new EndpointCounts(path, limits));
            }
        });
        ledger.serve(this);
    }

    private record AttemptWindow(long startNanos, int count) {
    }

    /**
     * Admits a connection from {@code ip} for {@code userId} (null: anonymous), evicting older ones
     * when a policy says so; the caller must release the slot when the connection ends.
     */
    public LimitCheck admit(String ip, String userId, String endpoint) {
        EndpointCounts counts = endpoints.get(endpoint);
        LimitCheck admission = counts == null ? decide(ip, userId, null) : decideWithin(counts, ip, userId);
        if (admission instanceof LimitCheck.Refused refused) {
            audit.record("limit.rejected", null, userId, ip, endpoint, "503", null, refused.message());
        }
        return admission;
    }

    /**
     * Counts a connection attempt from {@code ip}, before anything else about it is checked (so failed
     * token guesses count too); the refusal (429) when the address is over its attempts per minute, else {@code null}.
     */
    public LimitCheck.Refused attempt(String ip, String endpoint) {
        if (attemptAllowed(ip)) {
            return null;
        }
        LimitCheck.Refused refused = new LimitCheck.Refused("RATE_LIMITED",
                "too many connection attempts from this address: at most " + settings.attemptsPerIpPerMinute() + " per minute");
        audit.record("limit.rejected", null, null, ip, endpoint, "429", null, refused.message());
        return refused;
    }

    /**
     * The endpoint's own limits first, then the hub's: admissions to the endpoint take turns until the
     * new slot is counted, and the endpoint's victims are evicted only when the connection is let in.
     */
    private LimitCheck decideWithin(EndpointCounts counts, String ip, String userId) {
        counts.lock().lock();
        try {
            List<Slot> victims = new ArrayList<>();
            long now = System.nanoTime();
            String over = counts.makeRoom(ip, userId, victims, s -> Duration.ofMillis(idleMillis(s, now)));
            if (over != null) {
                return full(over);
            }
            LimitCheck admission = decide(ip, userId, counts);
            if (admission instanceof LimitCheck.Admitted admitted) {
                counts.add(admitted.slot());
                victims.forEach(victim -> victim.evict(false));
            }
            return admission;
        } finally {
            counts.lock().unlock();
        }
    }

    /** The hub's limits; {@code endpoint} is where the slot is counted too, or {@code null}. */
    private LimitCheck decide(String ip, String userId, EndpointCounts endpoint) {
        // An evicting total limit decides last: a connection the per-IP or per-user limit refuses evicts no one.
        boolean counted = take(total, settings.total());
        if (!counted && settings.totalPolicy() == LimitSettings.LimitPolicy.REJECT) {
            return totalFull();
        }
        boolean ledgered = perIp.bounded() || (userId != null && perUser.bounded());
        Slot slot = new Slot(UUID.randomUUID().toString(), ip, userId, sequence.incrementAndGet(), ledgered, endpoint, this);
        // Known before the ledger decides, so that another node's eviction of it finds it.
        slots.put(slot.id(), slot);
        if (ledgered) {
            ConnectionLedger.Verdict verdict;
            try {
                verdict = ledger.admit(new ConnectionLedger.Claim(slot.id(), ip, userId), perIp, perUser);
            } catch (RuntimeException e) {
                // A limit that cannot be checked is not waived: the client retries later.
                LOG.log(System.Logger.Level.WARNING, "connection refused: " + e.getMessage());
                abandon(slot, counted);
                return new LimitCheck.Refused("UNAVAILABLE", "connection limits cannot be checked right now; retry shortly");
            }
            if (verdict instanceof ConnectionLedger.Verdict.Refused refused) {
                abandon(slot, counted);
                return full(refused.perUser() ? "too many connections for this user (limit " + settings.perUser() + ")"
                        : "too many connections from this address (limit " + settings.perIp() + ")");
            }
            // Victims on other nodes are not in this map: their node evicts them.
            ((ConnectionLedger.Verdict.Admitted) verdict).evicted().forEach(this::evict);
        }
        if (!counted && !take(total, settings.total()) && !evictForTotal()) {
            slots.remove(slot.id());
            if (ledgered) {
                ledger.release(slot.id());
            }
            return totalFull();
        }
        return new LimitCheck.Admitted(slot);
    }

    private void abandon(Slot slot, boolean counted) {
        slots.remove(slot.id());
        if (counted) {
            total.decrementAndGet();
        }
    }

    /** Hands the total place of this node's oldest (or longest idle) connection to a new one. */
    private boolean evictForTotal() {
        long now = System.nanoTime();
        Comparator<Slot> first = settings.totalPolicy() == LimitSettings.LimitPolicy.EVICT_OLDEST
                ? Comparator.comparingLong(Slot::sequence)
                : Comparator.comparingLong((Slot s) -> -idleMillis(s, now)).thenComparingLong(Slot::sequence);
        while (true) {
            Optional<Slot> victim = slots.values().stream()
                    .filter(s -> s.held() && s.connection() != null && s.connection().open())
                    .min(first);
            if (victim.isEmpty()) {
                return false;
            }
            if (victim.get().evict(true)) {
                return true;
            }
        }
    }

    @Override
    public void evict(String slotId) {
        Slot slot = slots.get(slotId);
        if (slot != null) {
            slot.evict(false);
        }
    }

    @Override
    public Map<String, Duration> idleness() {
        long now = System.nanoTime();
        Map<String, Duration> idle = new HashMap<>();
        slots.values().forEach(s -> {
            if (s.ledgered()) {
                idle.put(s.id(), Duration.ofMillis(idleMillis(s, now)));
            }
        });
        return idle;
    }

    @Override
    public Duration idle(String slotId) {
        Slot slot = slots.get(slotId);
        return slot == null ? Duration.ZERO : Duration.ofMillis(idleMillis(slot, System.nanoTime()));
    }

    private static long idleMillis(Slot slot, long nowNanos) {
        SlotHolder connection = slot.connection();
        return connection == null ? 0 : connection.idleMillis(nowNanos);
    }

    /** Gives a released or evicted slot's places back; {@code total} false when its total place was handed over. */
    void free(Slot slot, boolean freeTotal) {
        slots.remove(slot.id());
        if (slot.endpoint() != null) {
            slot.endpoint().remove(slot);
        }
        if (freeTotal) {
            total.decrementAndGet();
        }
        if (slot.ledgered()) {
            ledger.release(slot.id());
        }
    }

    void closeEvicted(SlotHolder evicted) {
        evicted.evict(EVICTED);
    }

    /** Forgets attempt windows older than a minute; call periodically. */
    public void sweep() {
        long now = System.nanoTime();
        attempts.values().removeIf(w -> now - w.startNanos() > MINUTE_NANOS);
    }

    /** Connections this node holds places for (admitted, not yet released). */
    public int held() {
        return slots.size();
    }

    /** Connections to {@code endpoint} this node counts against its own limits (0 when it has none). */
    public int held(String endpoint) {
        EndpointCounts counts = endpoints.get(endpoint);
        return counts == null ? 0 : counts.size();
    }

    /**
     * How many members a room {@code endpoint} joins its clients to on connect may have: the endpoint's
     * {@code per-room}, else {@code hubLimit} ({@code hub.limits.per-room}); 0 means no limit.
     */
    public int perRoom(String endpoint, int hubLimit) {
        EndpointLimits limits = settings.endpoints().get(endpoint);
        return limits == null || limits.perRoom() < 0 ? hubLimit : limits.perRoom();
    }

    private boolean attemptAllowed(String ip) {
        int limit = settings.attemptsPerIpPerMinute();
        if (limit == 0) {
            return true;
        }
        long now = System.nanoTime();
        AttemptWindow window = attempts.compute(ip, (k, w) ->
                w == null || now - w.startNanos() > MINUTE_NANOS ? new AttemptWindow(now, 1) : new AttemptWindow(w.startNanos(), w.count() + 1));
        return Objects.requireNonNull(window).count() <= limit;
    }

    private static boolean take(AtomicInteger count, int limit) {
        if (limit == 0) {
            count.incrementAndGet();
            return true;
        }
        while (true) {
            int current = count.get();
            if (current >= limit) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private LimitCheck totalFull() {
        return full("the hub is at its connection limit (" + settings.total() + ")");
    }

    private static LimitCheck full(String message) {
        return new LimitCheck.Refused("CONNECTION_LIMIT", message);
    }
}

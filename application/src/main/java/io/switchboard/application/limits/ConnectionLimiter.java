package io.switchboard.application.limits;

import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.domain.CloseCode;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts connections in total, per IP and per user, and admits a new one only while every count
 * stays within its limit. Each count is checked and taken in one atomic step, so concurrent
 * connects can never slip past a limit together.
 */
public final class ConnectionLimiter {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final LimitSettings settings;
    private final Hub hub;
    private final AuditTrail audit;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, Integer> perIp = new ConcurrentHashMap<>();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Map<String, AttemptWindow> attempts = new ConcurrentHashMap<>();

    public ConnectionLimiter(LimitSettings settings, Hub hub, AuditTrail audit) {
        this.settings = settings;
        this.hub = hub;
        this.audit = audit;
    }

    private record AttemptWindow(long startNanos, int count) {
    }

    /**
     * Admits a connection from {@code ip} for {@code userId} (null: anonymous), evicting an older one
     * when the policy says so; the caller must release the slot when the connection ends.
     */
    public Admission admit(String ip, String userId, String endpoint) {
        Admission admission = decide(ip, userId);
        if (admission instanceof Admission.Refused refused) {
            audit.record("limit.rejected", null, userId, ip, endpoint, String.valueOf(refused.status()), null, refused.message());
        }
        return admission;
    }

    private Admission decide(String ip, String userId) {
        if (!attemptAllowed(ip)) {
            return new Admission.Refused(429, "RATE_LIMITED",
                    "too many connection attempts from this address: at most " + settings.attemptsPerIpPerMinute() + " per minute");
        }
        if (!take(total, settings.total())) {
            return full("the hub is at its connection limit (" + settings.total() + ")");
        }
        if (!takeOrEvict(perIp, ip, settings.perIp(), c -> ip.equals(c.spec().remoteIp()))) {
            total.decrementAndGet();
            return full("too many connections from this address (limit " + settings.perIp() + ")");
        }
        if (userId != null && !takeOrEvict(perUser, userId, settings.perUser(), c -> userId.equals(c.userId()))) {
            total.decrementAndGet();
            give(perIp, ip);
            return full("too many connections for this user (limit " + settings.perUser() + ")");
        }
        return new Admission.Admitted(new Slot(ip, userId, this));
    }

    void free(Slot slot) {
        total.decrementAndGet();
        give(perIp, slot.ip());
        if (slot.userId() != null) {
            give(perUser, slot.userId());
        }
    }

    /** Forgets attempt windows older than a minute; call periodically. */
    public void sweep() {
        long now = System.nanoTime();
        attempts.values().removeIf(w -> now - w.startNanos() > MINUTE_NANOS);
    }

    private boolean takeOrEvict(Map<String, Integer> counts, String key, int limit,
                                java.util.function.Predicate<Connection> sameKey) {
        if (take(counts, key, limit)) {
            return true;
        }
        if (settings.policy() == LimitSettings.LimitPolicy.REJECT) {
            return false;
        }
        Optional<Connection> victim = hub.connections().stream()
                .filter(Connection::open)
                .filter(sameKey)
                .min(settings.policy() == LimitSettings.LimitPolicy.EVICT_OLDEST
                        ? Comparator.comparing(Connection::openedAt)
                        : Comparator.comparingLong((Connection c) -> -c.idleMillis(System.nanoTime())));
        if (victim.isEmpty()) {
            return false;
        }
        Connection evicted = victim.get();
        audit.record("limit.evicted", evicted, String.valueOf(CloseCode.EVICTED), null, "evicted by a newer connection");
        evicted.releaseSlot();
        evicted.close(CloseCode.EVICTED, "evicted by a newer connection", false, null, true);
        return take(counts, key, limit);
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

    private static boolean take(Map<String, Integer> counts, String key, int limit) {
        boolean[] taken = {false};
        counts.compute(key, (k, current) -> {
            int n = current == null ? 0 : current;
            if (limit != 0 && n >= limit) {
                return current;
            }
            taken[0] = true;
            return n + 1;
        });
        return taken[0];
    }

    private static void give(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static Admission full(String message) {
        return new Admission.Refused(503, "CONNECTION_LIMIT", message);
    }
}

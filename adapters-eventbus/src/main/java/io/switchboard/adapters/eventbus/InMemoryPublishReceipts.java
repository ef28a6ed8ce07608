package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.in.PublishReceipt;
import io.switchboard.application.port.out.PublishReceipts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Idempotency answers kept in memory for {@code ttl}; expired ones are swept every few hundred inserts. */
final class InMemoryPublishReceipts implements PublishReceipts {
    private static final int SWEEP_EVERY = 256;

    private final Map<String, Remembered> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger insertsSinceSweep = new AtomicInteger();
    private final Duration ttl;
    private final Clock clock;

    InMemoryPublishReceipts(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<PublishReceipt> find(String idempotencyKey) {
        Remembered remembered = byKey.get(idempotencyKey);
        if (remembered == null || remembered.expiresAt.isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(remembered.receipt);
    }

    @Override
    public void remember(String idempotencyKey, PublishReceipt receipt) {
        Instant now = clock.instant();
        byKey.put(idempotencyKey, new Remembered(receipt, now.plus(ttl)));
        if (insertsSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            insertsSinceSweep.set(0);
            byKey.values().removeIf(r -> r.expiresAt.isBefore(now));
        }
    }

    private record Remembered(PublishReceipt receipt, Instant expiresAt) {
    }
}

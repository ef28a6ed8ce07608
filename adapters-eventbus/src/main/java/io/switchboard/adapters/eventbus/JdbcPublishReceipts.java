package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.switchboard.application.port.in.PublishReceipt;
import io.switchboard.application.port.out.PublishReceipts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Idempotency answers in table {@code publish_receipts} for {@code ttl}; expired rows are deleted every few hundred inserts. */
final class JdbcPublishReceipts implements PublishReceipts {
    private static final int SWEEP_EVERY = 256;

    private final DbClient db;
    private final Duration ttl;
    private final Clock clock;
    private final AtomicInteger insertsSinceSweep = new AtomicInteger();

    JdbcPublishReceipts(DbClient db, Duration ttl, Clock clock) {
        this.db = db;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<PublishReceipt> find(String idempotencyKey) {
        Instant now = clock.instant();
        return db.execute()
                .query("SELECT receipt, expires_at FROM publish_receipts WHERE idempotency_key = ?", idempotencyKey)
                .filter(row -> !Columns.instant(row, "expires_at").isBefore(now))
                .map(row -> StoredJson.receipt(Columns.text(row, "receipt")))
                .findFirst();
    }

    /** Replaces an expired answer for the same key, if one is still stored. */
    @Override
    public void remember(String idempotencyKey, PublishReceipt receipt) {
        Instant now = clock.instant();
        Transactions.run(db, tx -> {
            tx.delete("DELETE FROM publish_receipts WHERE idempotency_key = ?", idempotencyKey);
            tx.insert("INSERT INTO publish_receipts (idempotency_key, receipt, expires_at) VALUES (?, ?, ?)",
                    idempotencyKey, StoredJson.receipt(receipt), Columns.timestamp(now.plus(ttl)));
        });
        if (insertsSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            insertsSinceSweep.set(0);
            db.execute().delete("DELETE FROM publish_receipts WHERE expires_at < ?", Columns.timestamp(now));
        }
    }
}

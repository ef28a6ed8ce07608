package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.out.AuditFeed;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The audit entries every node on one PostgreSQL database stores, this node's included, read back
 * from table {@code audit_log} as their inserts commit: each insert notifies the channel with its
 * highest row number ({@link JdbcAuditLog}), and a poll every {@link PostgresNotifications#POLL_EVERY}
 * covers lost notifications. Only the listening thread reads and delivers, so the cursor needs no lock.
 *
 * <p>Entry numbers come from one sequence and are taken when an insert starts, so a number may
 * commit after a higher one: a reader that has seen up to {@code n} and finds {@code n + 3} holds
 * {@code n + 1} and {@code n + 2} as <em>missing</em> and asks for them again until they appear or
 * {@link #GIVE_UP_AFTER} passes (a rolled-back insert, or numbers the sequence skipped after a
 * crash, never appear). Hence each entry is delivered once; a node's entries in the order that node
 * stored them (its trail inserts one batch at a time, each committed before the next is numbered); and
 * entries of different nodes by number, except that one committing late comes after higher numbers.
 */
final class PostgresAuditFeed implements AuditFeed, PostgresNotifications.Receiver {
    /** Rows read per query while catching up. */
    static final int READ_LIMIT = 500;
    /** Missing numbers are asked for this long: far longer than one insert takes to commit. */
    static final long GIVE_UP_AFTER_NANOS = 10_000_000_000L;
    /** At most this many missing numbers are asked for; beyond that, the oldest are given up. */
    static final int MAX_MISSING = 1_000;
    private static final System.Logger LOG = System.getLogger(PostgresAuditFeed.class.getName());

    private final JdbcAuditLog log;
    private final List<Consumer<AuditEntry>> listeners = new CopyOnWriteArrayList<>();
    /** Missing numbers below {@link #seen}, oldest first, with when they were first missed. */
    private final Map<Long, Long> missing = new LinkedHashMap<>();
    private long seen;

    PostgresAuditFeed(JdbcAuditLog log) {
        this.log = log;
    }

    @Override
    public void subscribe(Consumer<AuditEntry> listener) {
        listeners.add(listener);
    }

    /** Entries stored before this node listened are history, not news. */
    @Override
    public void start() {
        seen = log.lastSeq();
    }

    /** A notification carries an insert's highest entry number; one already delivered needs no query. */
    @Override
    public void notified(String payload) {
        long seq;
        try {
            seq = Long.parseLong(payload);
        } catch (NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring audit notification '" + payload + "'");
            return;
        }
        if (seq > seen || missing.containsKey(seq)) {
            poll();
        }
    }

    /** Delivers what was stored after {@link #seen} and what of the missing has appeared. */
    @Override
    public void poll() {
        giveUpOldMissing();
        List<AuditEntry> read;
        do {
            read = log.after(seen, missing.keySet(), READ_LIMIT);
            for (AuditEntry entry : read) {
                if (missing.remove(entry.seq()) == null) {
                    if (entry.seq() <= seen) {
                        continue;
                    }
                    // A jump longer than the list of missing numbers can hold is not a commit race.
                    for (long skipped = Math.max(seen + 1, entry.seq() - MAX_MISSING); skipped < entry.seq(); skipped++) {
                        miss(skipped);
                    }
                    seen = entry.seq();
                }
                deliver(entry);
            }
        } while (read.size() == READ_LIMIT);
    }

    private void miss(long seq) {
        if (missing.size() == MAX_MISSING) {
            Iterator<Long> oldest = missing.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        missing.put(seq, System.nanoTime());
    }

    private void giveUpOldMissing() {
        long now = System.nanoTime();
        missing.values().removeIf(since -> now - since > GIVE_UP_AFTER_NANOS);
    }

    private void deliver(AuditEntry entry) {
        for (Consumer<AuditEntry> listener : listeners) {
            try {
                listener.accept(entry);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an audit listener failed on entry " + entry.seq(), e);
            }
        }
    }
}

package io.switchboard.application.audit;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.hub.AuditRecorder;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.out.AuditFeed;
import io.switchboard.application.port.out.AuditLog;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records audit entries and streams them live to the administrators watching, each through their
 * own filter. Recording never waits on storage or on a watcher: entries are stored, in order, by the
 * trail's own writer thread (a database insert must not slow every connect and join), then go to
 * the watchers' outbound queues. When several nodes share the store, the watchers get what every
 * node stored from the store's {@link AuditFeed} instead, this node's own entries included, so
 * that each entry reaches them once.
 */
public final class AuditTrail implements AuditRecorder, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());
    /** Entries waiting to be stored; beyond this, new ones are counted and dropped rather than stall the hub. */
    static final int MAX_PENDING = 100_000;
    /** Most entries the writer stores in one go (one transaction on a database). */
    static final int WRITE_BATCH = 256;
    /** How long the writer gathers entries that keep coming before it stores them. */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final AuditEntry STOP = new AuditEntry(0, java.time.Instant.EPOCH, "stop", null, null, null, null, null, null, null);

    private final AuditLog log;
    private final Clock clock;
    private final Map<Connection, AuditFilter> watchers = new ConcurrentHashMap<>();
    private final BlockingQueue<AuditEntry> pending = new LinkedBlockingQueue<>(MAX_PENDING);
    private final AtomicLong dropped = new AtomicLong();
    private final boolean streamsOwnEntries;
    private final Thread writer;
    /** When the writer last began a write ({@link System#nanoTime}); read and written by the writer only. */
    private long lastWrite = System.nanoTime() - GATHER_NANOS;

    /** A trail whose store only this process writes: it streams the entries it stores. */
    public AuditTrail(AuditLog log, Clock clock) {
        this(log, clock, true);
    }

    /** A trail on a store several nodes share: the watchers get every node's entries from {@code shared}. */
    public AuditTrail(AuditLog log, AuditFeed shared, Clock clock) {
        this(log, clock, false);
        shared.subscribe(this::publish);
    }

    private AuditTrail(AuditLog log, Clock clock, boolean streamsOwnEntries) {
        this.log = log;
        this.clock = clock;
        this.streamsOwnEntries = streamsOwnEntries;
        this.writer = Thread.ofPlatform().daemon().name("switchboard-audit").start(this::write);
    }

    /** Entries at or after {@code since} matching {@code filter}, oldest first. */
    public java.util.List<AuditEntry> query(java.time.Instant since, AuditFilter filter, int limit) {
        return log.query(since, filter, limit);
    }

    /** Records what happened to or on a connection. */
    @Override
    public void record(String type, Connection connection, String outcome, String room, String detail) {
        record(type, connection.id().value(), connection.userId(), connection.spec().remoteIp(), connection.spec().endpoint(),
                outcome, room, detail);
    }

    /** Records a happening before or without a connection (a refused upgrade, a publish). */
    public void record(String type, String connectionId, String userId, String ip, String endpoint, String outcome,
                       String room, String detail) {
        AuditEntry entry = new AuditEntry(0, clock.instant(), type, connectionId, userId, ip, endpoint, outcome, room, detail);
        if (!pending.offer(entry) && dropped.incrementAndGet() % 1000 == 1) {
            LOG.log(System.Logger.Level.WARNING, "audit storage is behind; " + dropped.get() + " entries dropped so far");
        }
    }

    /** Entries that could not be queued for storage because it fell too far behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Stores what is still pending (waiting up to {@code timeout}) and stops the writer. */
    public void close(java.time.Duration timeout) {
        pending.offer(STOP);
        try {
            writer.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(2));
    }

    private void write() {
        List<AuditEntry> batch = new ArrayList<>(WRITE_BATCH);
        while (true) {
            batch.clear();
            try {
                batch.add(pending.take());
            } catch (InterruptedException e) {
                return;
            }
            gather(batch);
            int stop = batch.indexOf(STOP);
            List<AuditEntry> entries = stop < 0 ? batch : batch.subList(0, stop);
            if (!entries.isEmpty()) {
                try {
                    List<AuditEntry> stored = log.appendAll(entries);
                    if (streamsOwnEntries) {
                        stored.forEach(this::publish);
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "audit entries could not be stored: " + entries.size() + " from "
                            + entries.getFirst().type(), e);
                }
            }
            if (stop >= 0) {
                return;
            }
        }
    }

    /**
     * Adds to {@code batch} whatever queued meanwhile, so that it goes in the same transaction; while
     * entries keep coming (the last write was less than {@link #GATHER_NANOS} ago), waits up to that
     * long for more, so that a busy hub stores its audit in a few larger commits rather than in one
     * per entry. An entry after a quiet spell is written at once.
     */
    private void gather(List<AuditEntry> batch) {
        pending.drainTo(batch, WRITE_BATCH - batch.size());
        long now = System.nanoTime();
        if (now - lastWrite >= GATHER_NANOS) {
            lastWrite = now;
            return;
        }
        long deadline = now + GATHER_NANOS;
        try {
            while (batch.size() < WRITE_BATCH && !batch.contains(STOP)) {
                AuditEntry next = pending.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                batch.add(next);
                pending.drainTo(batch, WRITE_BATCH - batch.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lastWrite = System.nanoTime();
    }

    private void publish(AuditEntry entry) {
        watchers.forEach((watcher, filter) -> {
            if (watcher.finished()) {
                watchers.remove(watcher);
            } else if (filter.matches(entry)) {
                watcher.send(new Outbound.Audit(entry));
            }
        });
    }

    /** Streams matching entries to {@code watcher} until it closes (or until called again with a new filter). */
    public void watch(Connection watcher, AuditFilter filter) {
        watchers.put(watcher, filter);
    }

    public void unwatch(Connection watcher) {
        watchers.remove(watcher);
    }
}

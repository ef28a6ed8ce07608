package io.switchboard.application.audit;

import io.switchboard.application.port.out.AuditLog;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recording an audit entry never waits for its storage; entries are stored in order, and overflow is counted. */
class AuditTrailTest {

    @Test
    void recordingDoesNotWaitForStorageAndEntriesAreStoredInOrder() {
        SlowLog log = new SlowLog();
        AuditTrail trail = new AuditTrail(log, Clock.systemUTC());
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String type : List.of("connection.opened", "room.joined", "connection.closed")) {
                trail.record(type, "c1", null, "127.0.0.1", "/ws", "ok", null, null);
            }
        }, "record waited for a blocked store");
        log.release.countDown();
        trail.close(Duration.ofSeconds(5));
        assertEquals(List.of("connection.opened", "room.joined", "connection.closed"), log.types());
    }

    @Test
    void entriesBeyondThePendingLimitAreCountedAsDropped() {
        SlowLog log = new SlowLog();
        AuditTrail trail = new AuditTrail(log, Clock.systemUTC());
        for (int i = 0; i < AuditTrail.MAX_PENDING + 10; i++) {
            trail.record("room.joined", "c" + i, null, "127.0.0.1", "/ws", "ok", null, null);
        }
        assertTrue(trail.dropped() >= 9 && trail.dropped() <= 10, "dropped " + trail.dropped());
        log.release.countDown();
        trail.close(Duration.ofSeconds(10));
        assertEquals(AuditTrail.MAX_PENDING + 10 - trail.dropped(), log.types().size(), "everything queued was stored");
    }

    /** A store that blocks until released, like a database that is slow to answer. */
    private static final class SlowLog implements AuditLog {
        final CountDownLatch release = new CountDownLatch(1);
        // A queue, not a CopyOnWriteArrayList: 100,000 appends copying the whole list each time took longer than the test waits.
        private final java.util.Queue<AuditEntry> stored = new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public AuditEntry append(AuditEntry entry) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stored.add(entry);
            return entry;
        }

        @Override
        public List<AuditEntry> query(Instant since, AuditFilter filter, int limit) {
            return List.copyOf(stored);
        }

        List<String> types() {
            return stored.stream().map(AuditEntry::type).toList();
        }
    }
}

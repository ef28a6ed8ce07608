package io.switchboard.application.audit;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.Frame;
import io.switchboard.application.hub.FrameSink;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.HubSettings;
import io.switchboard.application.hub.QuietSink;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.out.AuditFeed;
import io.switchboard.application.port.out.AuditLog;
import io.switchboard.application.hub.HubMetrics;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recording an audit entry never waits for its storage; entries are stored in order, and overflow is
 * counted. On a store several nodes share, watchers get the store's feed, each entry once.
 */
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
        // the writer holds 1 to WRITE_BATCH entries (blocked in the store), the queue MAX_PENDING; the rest is dropped
        int recorded = AuditTrail.MAX_PENDING + AuditTrail.WRITE_BATCH + 10;
        for (int i = 0; i < recorded; i++) {
            trail.record("room.joined", "c" + i, null, "127.0.0.1", "/ws", "ok", null, null);
        }
        assertTrue(trail.dropped() >= 10 && trail.dropped() <= AuditTrail.WRITE_BATCH + 9, "dropped " + trail.dropped());
        log.release.countDown();
        trail.close(Duration.ofSeconds(10));
        assertEquals(recorded - trail.dropped(), log.types().size(), "everything queued was stored");
    }

    @Test
    void onASharedStoreWatchersGetEveryNodesEntriesFromTheFeedAndTheirOwnOnlyFromThere() {
        SlowLog log = new SlowLog();
        log.release.countDown();
        List<Consumer<AuditEntry>> subscribers = new CopyOnWriteArrayList<>();
        AuditFeed feed = subscribers::add;
        AuditTrail trail = new AuditTrail(log, feed, Clock.systemUTC());
        assertEquals(1, subscribers.size(), "the trail follows the feed");
        List<String> frames = new CopyOnWriteArrayList<>();
        Connection watcher = watcher(frames);
        trail.watch(watcher, new AuditFilter(Set.of("room."), null, null, null));

        trail.record("room.joined", "own", "alice", "10.0.0.1", "/ws", "ok", "lobby:1", null);
        trail.close(Duration.ofSeconds(5));
        assertEquals(List.of("room.joined"), log.types(), "stored");
        assertEquals(List.of(), frames, "not streamed before the feed hands it back");

        AuditEntry own = log.query(null, AuditFilter.all(), 10).getFirst();
        Instant now = Instant.now();
        subscribers.getFirst().accept(new AuditEntry(1, now, "connection.opened", "other", "bob", "10.0.0.2", "/ws", "ok", null, null));
        subscribers.getFirst().accept(own);
        subscribers.getFirst().accept(new AuditEntry(3, now, "room.joined", "other", "bob", "10.0.0.2", "/ws", "ok", "lobby:2", null));
        assertEquals(List.of("room.joined own lobby:1", "room.joined other lobby:2"), frames, "filtered, once each, in feed order");
    }

    /** A watcher on a hub whose frames are written at once: audit entries as "type connection room", nothing else. */
    private static Connection watcher(List<String> frames) {
        Hub hub = new Hub(HubSettings.defaults(), RoomAccess.open(), null, null, new AuditTrail(new SlowLog(), Clock.systemUTC()), null,
                Clock.systemUTC(), new HubMetrics(), Runnable::run);
        FrameSink sink = new QuietSink() {
            @Override
            public void text(Frame frame) {
                if (!frame.text().equals("other")) {
                    frames.add(frame.text());
                }
            }
        };
        return hub.open(new ConnectionSpec("/ws/audit", "websocket", "127.0.0.1", null, false), sink,
                message -> message instanceof Outbound.Audit audit
                        ? audit.entry().type() + " " + audit.entry().connectionId() + " " + audit.entry().room() : "other",
                Runnable::run);
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

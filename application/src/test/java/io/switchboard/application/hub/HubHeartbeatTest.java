package io.switchboard.application.hub;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.port.out.AuditLog;
import io.switchboard.domain.OverflowPolicy;
import org.junit.jupiter.api.Test;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One connection whose transport fails during the heartbeat does not stop the others' heartbeat. */
class HubHeartbeatTest {
    static final HubSettings SETTINGS = new HubSettings(1024, 1 << 20, OverflowPolicy.DISCONNECT,
            Duration.ofMillis(1), Duration.ofSeconds(10), 4096, 10, 10, 20, 100, Duration.ofMillis(1), Duration.ofSeconds(1), 0);

    @Test
    void aTransportThatFailsToAbortIsClosedAndTheOthersAreStillPinged() throws Exception {
        Hub hub = new Hub(SETTINGS, RoomAccess.open(), null, null, new AuditTrail(new NoAudit(), Clock.systemUTC()), null,
                Clock.systemUTC(), new HubMetrics(), Runnable::run);
        RecordingSink stuck = new RecordingSink(true);
        RecordingSink healthy = new RecordingSink(false);
        Connection broken = hub.open(spec(), stuck, message -> "frame", task -> { });
        Connection fine = hub.open(spec(), healthy, message -> "frame", Runnable::run);
        broken.close(4010, "slow consumer", true, null, true);
        Thread.sleep(5);

        hub.heartbeat();

        assertTrue(broken.finished(), "the connection whose abort failed is closed");
        assertEquals(1, healthy.pings.get(), "the healthy connection was still pinged");
        assertEquals(1, hub.connections().size());
    }

    static ConnectionSpec spec() {
        return new ConnectionSpec("/ws", "websocket", "127.0.0.1", null, false);
    }

    /** Also used by other tests of the package as a sink that records only pings. */
    static class RecordingSink extends QuietSink {
        final AtomicInteger pings = new AtomicInteger();
        private final boolean failsToAbort;

        RecordingSink(boolean failsToAbort) {
            this.failsToAbort = failsToAbort;
        }

        @Override
        public void ping() {
            pings.incrementAndGet();
        }

        @Override
        public void abort() {
            if (failsToAbort) {
                throw new IllegalStateException("the socket cannot be closed");
            }
        }
    }

    static final class NoAudit implements AuditLog {
        @Override
        public AuditEntry append(AuditEntry entry) {
            return entry;
        }

        @Override
        public List<AuditEntry> query(Instant since, AuditFilter filter, int limit) {
            return List.of();
        }
    }
}

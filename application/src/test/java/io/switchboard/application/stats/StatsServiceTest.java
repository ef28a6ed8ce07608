package io.switchboard.application.stats;

import io.switchboard.application.port.StatsSnapshot;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.port.out.AuditLog;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.HubSettings;
import io.switchboard.application.hub.NoHistory;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stats object's clock-dependent fields, with a clock the test moves. */
class StatsServiceTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-31T12:00:00Z"));
    private final HubMetrics metrics = new HubMetrics();
    private final StatsService stats = new StatsService(
            new Hub(HubSettings.defaults(), RoomAccess.open(), null, null, new AuditTrail(new NoAudit(), clock), new NoHistory(), clock, metrics, Runnable::run), metrics, clock);

    /** SPEC 1: timestamps are ISO-8601 UTC with milliseconds, also on a whole second. */
    @Test
    void timestampAlwaysCarriesMilliseconds() {
        assertEquals("2026-01-31T12:00:00.000Z", stats.stats().timestamp());
        clock.advance(Duration.ofMillis(1_234).plusNanos(999_999));
        assertEquals("2026-01-31T12:00:01.234Z", stats.stats().timestamp());
    }

    @Test
    void uptimeCountsWholeSecondsSinceStart() {
        assertEquals(0, stats.stats().uptimeSeconds());
        clock.advance(Duration.ofMillis(90_500));
        assertEquals(90, stats.stats().uptimeSeconds());
    }

    @Test
    void eventCountersComeFromTheMetrics() {
        RoomName room = new RoomName("a");
        metrics.published(Event.from(new EventDraft(room, "tick", "1", null, false, null), new EventId(1), clock.instant()));
        metrics.invalidInput();
        metrics.dropped(3);
        StatsSnapshot.Events events = stats.stats().events();
        assertEquals(1, events.published());
        assertEquals(1, events.invalid());
        assertEquals(3, events.dropped());
        assertEquals(Map.of("tick", 1L), events.byType());
        assertEquals(0, stats.stats().connections().total());
        assertEquals(0, stats.stats().rooms().active());
    }


    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The hub audits connections; this test does not look at the audit. */
    private static final class NoAudit implements AuditLog {
        @Override
        public AuditEntry append(AuditEntry entry) {
            return entry;
        }

        @Override
        public java.util.List<AuditEntry> query(java.time.Instant since, AuditFilter filter, int limit) {
            return java.util.List.of();
        }
    }
}

package io.switchboard.application.hub;

import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.domain.OverflowPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A hub on {@link ManualTime} whose writers run on the caller's thread: when a call returns, what the
 * client would see is in its sink. Its clients speak the canonical dialect over a WebSocket.
 */
final class ManualTimeHub {
    /** Hub defaults, except {@code rate-violations-to-close}: 3 rather than 20. */
    static final HubSettings SETTINGS = new HubSettings(1024, 1 << 20, OverflowPolicy.DISCONNECT,
            Duration.ofSeconds(30), Duration.ofSeconds(10), 4096, 10, 10, 3, 100, Duration.ofSeconds(10), Duration.ofSeconds(10), 0);

    final ManualTime time = new ManualTime();
    final HubMetrics metrics = new HubMetrics();
    final Hub hub;

    ManualTimeHub(DeliveryRules rules) {
        this(SETTINGS, rules);
    }

    ManualTimeHub(HubSettings settings, DeliveryRules rules) {
        hub = new Hub(settings, RoomAccess.open(), new RoomRules(Set.of(), Map.of(), null), null,
                new AuditTrail(new HubHeartbeatTest.NoAudit(), time), new NoHistory(), time, metrics, Runnable::run,
                rules, time.timer(), time);
    }

    /** A client connected now, anonymous. */
    Client connect() {
        return connect(null, Runnable::run);
    }

    /** A client connected now with {@code principal}'s token, whose writer runs on {@code writer}. */
    Client connect(Principal principal, Executor writer) {
        RecordingFrameSink sink = new RecordingFrameSink();
        ConnectionSpec spec = new ConnectionSpec("/ws", "websocket", "127.0.0.1", principal, false);
        return new Client(hub.open(spec, sink, new CanonicalDialect(time), writer), sink);
    }

    /** Moves time on by {@code millis} and runs the periodic check, as the hub's timer would. */
    void heartbeatAfter(long millis) {
        time.advance(Duration.ofMillis(millis));
        hub.heartbeat();
    }

    /** One connected client: the hub's side of it, and what it saw. */
    record Client(Connection connection, RecordingFrameSink sink) {
        List<String> seen() {
            return sink.seen();
        }
    }
}

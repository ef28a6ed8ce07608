package io.switchboard.application.limits;

import io.switchboard.application.port.EndpointLimits;
import io.switchboard.application.port.LimitSettings;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.Frame;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.HubSettings;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.hub.QuietSink;
import io.switchboard.application.port.out.AuditLog;
import io.switchboard.application.port.out.ConnectionLedger;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.OverflowPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.switchboard.application.port.LimitSettings.LimitPolicy.EVICT_OLDEST;
import static io.switchboard.application.port.LimitSettings.LimitPolicy.EVICT_OLDEST_IDLE;
import static io.switchboard.application.port.LimitSettings.LimitPolicy.REJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit with its own policy, on one node (the in-memory ledger). */
class ConnectionLimiterTest {
    private static final HubSettings SETTINGS = new HubSettings(1024, 1 << 20, OverflowPolicy.DISCONNECT,
            Duration.ofSeconds(30), Duration.ofSeconds(10), 4096, 10, 10, 20, 100, Duration.ofMillis(1), Duration.ofSeconds(1), 0);

    private final Hub hub = new Hub(SETTINGS, RoomAccess.open(), null, null, new AuditTrail(new NoAudit(), Clock.systemUTC()), null,
            Clock.systemUTC(), new HubMetrics(), Runnable::run);

    /** Seed 000: at most 10 per address (503 beyond), and a full hub makes room by closing the longest idle connection. */
    @Test
    void perIpRejectsWhileAFullHubEvictsTheLongestIdle() throws Exception {
        ConnectionLimiter limiter = limiter(new LimitSettings(3, 2, 0, EVICT_OLDEST_IDLE, REJECT, REJECT, 0));
        Client a1 = connect(limiter, "10.0.0.1", null);
        Client a2 = connect(limiter, "10.0.0.1", null);
        Thread.sleep(20);
        Client b1 = connect(limiter, "10.0.0.2", null);
        Thread.sleep(20); // idleness is compared in milliseconds: a1's message must come a whole millisecond after b1 opened
        a1.connection.admitInbound();

        LimitCheck third = limiter.admit("10.0.0.1", null, "/ws");
        assertEquals("CONNECTION_LIMIT", assertInstanceOf(LimitCheck.Refused.class, third).code(), "per-IP rejects");
        assertTrue(third instanceof LimitCheck.Refused r && r.message().contains("address"), third.toString());
        assertTrue(!a1.evicted() && !a2.evicted() && !b1.evicted(), "a refused connection evicts no one");

        Client c1 = connect(limiter, "10.0.0.3", null);
        assertTrue(a2.evicted(), "a2 was idle the longest");
        assertEquals(List.of("Disconnect 4009", "Close 4009"), a2.sink.endings());
        assertTrue(!a1.evicted() && !b1.evicted() && !c1.evicted());
        assertEquals(3, limiter.held());
        Client a3 = connect(limiter, "10.0.0.1", null);
        assertTrue(b1.evicted(), "the address had room again after a2 left; b1 was the longest idle then");
        assertTrue(!a3.evicted());
    }

    @Test
    void aFullHubThatRejectsRefusesTheNewConnection() {
        ConnectionLimiter limiter = limiter(new LimitSettings(2, 0, 0, REJECT, REJECT, REJECT, 0));
        Client first = connect(limiter, "10.0.0.1", null);
        connect(limiter, "10.0.0.2", null);
        LimitCheck refused = limiter.admit("10.0.0.3", null, "/ws");
        assertTrue(refused instanceof LimitCheck.Refused r && r.message().contains("connection limit (2)"), refused.toString());
        first.connection.transportClosed(1000);
        connect(limiter, "10.0.0.3", null);
    }

    @Test
    void aFullHubEvictingTheOldestClosesTheFirstAdmitted() {
        ConnectionLimiter limiter = limiter(new LimitSettings(2, 0, 0, EVICT_OLDEST, REJECT, REJECT, 0));
        Client first = connect(limiter, "10.0.0.1", null);
        Client second = connect(limiter, "10.0.0.2", null);
        second.connection.admitInbound();
        first.connection.admitInbound();
        connect(limiter, "10.0.0.3", null);
        assertTrue(first.evicted() && !second.evicted());
        assertEquals(2, limiter.held());
    }

    /** Seed 003: five connections per user; the sixth closes the oldest with 4009. */
    @Test
    void perUserEvictOldestWhilePerIpRejects() {
        ConnectionLimiter limiter = limiter(new LimitSettings(0, 3, 2, REJECT, REJECT, EVICT_OLDEST, 0));
        Client alice1 = connect(limiter, "10.0.0.1", "alice");
        Client alice2 = connect(limiter, "10.0.0.2", "alice");
        alice1.connection.admitInbound();
        Client alice3 = connect(limiter, "10.0.0.3", "alice");
        assertTrue(alice1.evicted(), "the oldest goes, however active");
        assertTrue(!alice2.evicted() && !alice3.evicted());
        connect(limiter, "10.0.0.9", "bob");
        connect(limiter, "10.0.0.9", "carol");
        connect(limiter, "10.0.0.9", "dave");
        LimitCheck refused = limiter.admit("10.0.0.9", "erin", "/ws");
        assertTrue(refused instanceof LimitCheck.Refused r && r.message().contains("address (limit 3)"), refused.toString());
    }

    @Test
    void perUserEvictOldestIdleKeepsTheActiveOnes() throws Exception {
        ConnectionLimiter limiter = limiter(new LimitSettings(0, 0, 2, REJECT, REJECT, EVICT_OLDEST_IDLE, 0));
        Client first = connect(limiter, "10.0.0.1", "alice");
        Thread.sleep(20);
        Client second = connect(limiter, "10.0.0.1", "alice");
        Thread.sleep(20);
        first.connection.admitInbound();
        connect(limiter, "10.0.0.1", "alice");
        assertTrue(second.evicted() && !first.evicted());
    }

    @Test
    void perUserRejectRefusesWithTheUserInTheMessageAndAnonymousClientsDoNotCount() {
        ConnectionLimiter limiter = limiter(new LimitSettings(0, 0, 1, REJECT, REJECT, REJECT, 0));
        connect(limiter, "10.0.0.1", "alice");
        LimitCheck refused = limiter.admit("10.0.0.2", "alice", "/ws");
        assertTrue(refused instanceof LimitCheck.Refused r && r.message().contains("user (limit 1)"), refused.toString());
        connect(limiter, "10.0.0.2", null);
        connect(limiter, "10.0.0.2", null);
    }

    @Test
    void aSlotEvictedBeforeItsConnectionExistsClosesItOnArrival() {
        ConnectionLimiter limiter = limiter(new LimitSettings(0, 0, 1, REJECT, REJECT, EVICT_OLDEST, 0));
        Slot early = ((LimitCheck.Admitted) limiter.admit("10.0.0.1", "alice", "/ws")).slot();
        Client later = connect(limiter, "10.0.0.2", "alice");
        RecordingSink sink = new RecordingSink();
        Connection arriving = hub.open(spec("10.0.0.1", "alice"), sink, RecordingSink::render, Runnable::run);
        arriving.holdSlot(early);
        assertEquals(List.of("Disconnect 4009", "Close 4009"), sink.endings());
        assertTrue(!later.evicted());
        assertEquals(1, limiter.held());
    }

    @Test
    void fiftyConcurrentAdmissionsAgainstEachPolicyKeepTheLimit() throws Exception {
        for (LimitSettings.LimitPolicy policy : LimitSettings.LimitPolicy.values()) {
            ConnectionLimiter limiter = limiter(new LimitSettings(0, 10, 0, REJECT, policy, REJECT, 0));
            List<Client> clients = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        LimitCheck admission = limiter.admit("10.0.0.1", null, "/ws");
                        if (admission instanceof LimitCheck.Admitted admitted) {
                            clients.add(attach(admitted.slot(), "10.0.0.1", null));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
            }
            long open = clients.stream().filter(c -> !c.evicted()).count();
            assertEquals(policy == REJECT ? 10 : 50, clients.size(), policy + ": admitted");
            assertEquals(10, open, policy + ": still open");
            assertEquals(10, limiter.held(), policy + ": places held");
        }
    }

    @Test
    void aLedgerThatCannotBeReachedRefusesWith503AndGivesTheTotalPlaceBack() {
        ConnectionLedger unreachable = new ConnectionLedger() {
            @Override
            public void serve(Node node) {
            }

            @Override
            public Verdict admit(Claim claim, Limit perIp, Limit perUser) {
                throw new IllegalStateException("the database is down");
            }

            @Override
            public void release(String slotId) {
            }
        };
        ConnectionLimiter limiter = new ConnectionLimiter(new LimitSettings(1, 5, 0, REJECT, REJECT, REJECT, 0), hub,
                new AuditTrail(new NoAudit(), Clock.systemUTC()), unreachable);
        LimitCheck refused = limiter.admit("10.0.0.1", null, "/ws");
        assertTrue(refused instanceof LimitCheck.Refused r && r.code().equals("UNAVAILABLE"), refused.toString());
        assertEquals(0, limiter.held());
        ConnectionLimiter noPerIp = new ConnectionLimiter(new LimitSettings(1, 0, 0, REJECT, REJECT, REJECT, 0), hub,
                new AuditTrail(new NoAudit(), Clock.systemUTC()), unreachable);
        connect(noPerIp, "10.0.0.1", null);
    }

    /** An endpoint's own per-user limit counts only its connections; the user may still connect elsewhere. */
    @Test
    void anEndpointsPerUserLimitRejectsOnlyAtThatEndpoint() {
        ConnectionLimiter limiter = limiter(LimitSettings.none().withEndpoints(Map.of(DASH, endpoint(0, 0, 2, REJECT))));
        Client first = connect(limiter, "10.0.0.1", "alice", DASH);
        connect(limiter, "10.0.0.2", "alice", DASH);
        LimitCheck third = limiter.admit("10.0.0.3", "alice", DASH);
        assertTrue(third instanceof LimitCheck.Refused r && r.code().equals("CONNECTION_LIMIT")
                && r.message().contains(DASH) && r.message().contains("user (limit 2)"), third.toString());
        for (int i = 0; i < 5; i++) {
            connect(limiter, "10.0.0.3", "alice", "/ws");
        }
        connect(limiter, "10.0.0.3", "bob", DASH);
        assertEquals(3, limiter.held(DASH));
        assertEquals(0, limiter.held("/ws"), "/ws has no limits of its own");
        first.connection.transportClosed(1000);
        assertEquals(2, limiter.held(DASH));
        connect(limiter, "10.0.0.3", "alice", DASH);
    }

    @Test
    void anEndpointsEvictingPolicyEvictsOnlyConnectionsToThatEndpoint() {
        ConnectionLimiter limiter = limiter(LimitSettings.none().withEndpoints(Map.of(DASH, endpoint(0, 0, 2, EVICT_OLDEST))));
        Client elsewhere = connect(limiter, "10.0.0.1", "alice", "/ws");
        Client dash1 = connect(limiter, "10.0.0.1", "alice", DASH);
        Client dash2 = connect(limiter, "10.0.0.1", "alice", DASH);
        Client dash3 = connect(limiter, "10.0.0.1", "alice", DASH);
        assertTrue(dash1.evicted(), "the endpoint's oldest connection of the user goes");
        assertEquals(List.of("Disconnect 4009", "Close 4009"), dash1.sink.endings());
        assertTrue(!elsewhere.evicted() && !dash2.evicted() && !dash3.evicted(), "the older /ws connection is not the endpoint's");
        assertEquals(2, limiter.held(DASH));
        assertEquals(3, limiter.held());
    }

    @Test
    void anEndpointsTotalAndPerIpLimitsCountOnlyItsConnections() throws Exception {
        ConnectionLimiter limiter = limiter(LimitSettings.none().withEndpoints(Map.of(DASH,
                new EndpointLimits(2, 1, 0, EVICT_OLDEST_IDLE, REJECT, REJECT, -1))));
        Client a = connect(limiter, "10.0.0.1", null, DASH);
        Thread.sleep(20);
        Client b = connect(limiter, "10.0.0.2", null, DASH);
        Thread.sleep(20); // idleness is counted in whole milliseconds: b must be idle for some before a's message
        a.connection.admitInbound();
        LimitCheck sameAddress = limiter.admit("10.0.0.2", null, DASH);
        assertTrue(sameAddress instanceof LimitCheck.Refused r && r.message().contains("address (limit 1)"), sameAddress.toString());
        assertTrue(!a.evicted() && !b.evicted(), "a connection the per-IP limit refuses evicts no one");
        connect(limiter, "10.0.0.2", null, "/ws");
        Client c = connect(limiter, "10.0.0.3", null, DASH);
        assertTrue(b.evicted() && !a.evicted() && !c.evicted(), "b was the endpoint's longest idle");
        assertEquals(2, limiter.held(DASH));
    }

    @Test
    void aConnectionTheHubsLimitsRefuseEvictsNoOneAtTheEndpoint() {
        ConnectionLimiter limiter = limiter(new LimitSettings(0, 0, 3, REJECT, REJECT, REJECT, 0)
                .withEndpoints(Map.of(DASH, endpoint(0, 0, 2, EVICT_OLDEST))));
        connect(limiter, "10.0.0.1", "alice", "/ws");
        Client dash1 = connect(limiter, "10.0.0.1", "alice", DASH);
        Client dash2 = connect(limiter, "10.0.0.1", "alice", DASH);
        LimitCheck refused = limiter.admit("10.0.0.1", "alice", DASH);
        assertTrue(refused instanceof LimitCheck.Refused r && r.message().contains("user (limit 3)"), refused.toString());
        assertTrue(!dash1.evicted() && !dash2.evicted());
        assertEquals(2, limiter.held(DASH));
    }

    @Test
    void fiftyConcurrentAdmissionsToAnEndpointKeepItsLimit() throws Exception {
        for (LimitSettings.LimitPolicy policy : LimitSettings.LimitPolicy.values()) {
            ConnectionLimiter limiter = limiter(LimitSettings.none().withEndpoints(Map.of(DASH, endpoint(0, 0, 10, policy))));
            List<Client> clients = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        LimitCheck admission = limiter.admit("10.0.0.1", "alice", DASH);
                        if (admission instanceof LimitCheck.Admitted admitted) {
                            clients.add(attach(admitted.slot(), "10.0.0.1", "alice"));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
            }
            assertEquals(policy == REJECT ? 10 : 50, clients.size(), policy + ": admitted");
            assertEquals(10, clients.stream().filter(c -> !c.evicted()).count(), policy + ": still open");
            assertEquals(10, limiter.held(DASH), policy + ": places held");
        }
    }

    @Test
    void anEndpointsRoomLimitReplacesTheHubsOnlyWhenSet() {
        ConnectionLimiter limiter = limiter(LimitSettings.none().withEndpoints(Map.of(DASH, new EndpointLimits(0, 0, 0, REJECT, REJECT,
                REJECT, 3), "/ws/other", endpoint(0, 0, 1, REJECT))));
        assertEquals(3, limiter.perRoom(DASH, 50));
        assertEquals(50, limiter.perRoom("/ws/other", 50));
        assertEquals(50, limiter.perRoom("/ws", 50));
        connect(limiter, "10.0.0.1", "alice", DASH);
        connect(limiter, "10.0.0.1", "alice", DASH);
        assertEquals(0, limiter.held(DASH), "a room limit alone counts no connections");
    }

    private static final String DASH = "/ws/dashboard";

    private static EndpointLimits endpoint(int total, int perIp, int perUser, LimitSettings.LimitPolicy policy) {
        return new EndpointLimits(total, perIp, perUser, policy, policy, policy, -1);
    }

    private ConnectionLimiter limiter(LimitSettings settings) {
        return new ConnectionLimiter(settings, hub, new AuditTrail(new NoAudit(), Clock.systemUTC()));
    }

    private Client connect(ConnectionLimiter limiter, String ip, String user) {
        return connect(limiter, ip, user, "/ws");
    }

    private Client connect(ConnectionLimiter limiter, String ip, String user, String endpoint) {
        LimitCheck admission = limiter.admit(ip, user, endpoint);
        return attach(assertInstanceOf(LimitCheck.Admitted.class, admission, admission.toString()).slot(), ip, user);
    }

    private Client attach(Slot slot, String ip, String user) {
        RecordingSink sink = new RecordingSink();
        Connection connection = hub.open(spec(ip, user), sink, RecordingSink::render, Runnable::run);
        connection.holdSlot(slot);
        return new Client(connection, sink);
    }

    private static ConnectionSpec spec(String ip, String user) {
        return new ConnectionSpec("/ws", "websocket", ip, user == null ? null : new Principal(user, Set.of(), List.of(), Instant.now().plus(Duration.ofHours(1))), false);
    }

    private record Client(Connection connection, RecordingSink sink) {
        boolean evicted() {
            return sink.frames.contains("Close 4009");
        }
    }

    private static final class RecordingSink extends QuietSink {
        final List<String> frames = new CopyOnWriteArrayList<>();

        /** What the client was told at the end: the disconnect notice and the close. */
        List<String> endings() {
            return frames.stream().filter(f -> f.startsWith("Disconnect") || f.startsWith("Close")).toList();
        }

        static String render(Outbound message) {
            return switch (message) {
                case Outbound.Disconnect d -> "Disconnect " + d.code();
                default -> message.getClass().getSimpleName();
            };
        }

        @Override
        public void text(Frame frame) {
            frames.add(frame.text());
        }

        @Override
        public void close(int code, String reason) {
            frames.add("Close " + code);
        }
    }

    private static final class NoAudit implements AuditLog {
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

package io.switchboard.application.access;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.auth.RoomPolicy;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.port.Template;
import io.switchboard.application.hooks.ConnectHooks;
import io.switchboard.application.hooks.Hook;
import io.switchboard.application.hooks.HookGate;
import io.switchboard.application.hooks.HookKind;
import io.switchboard.application.hub.ConnectionSpec;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.hub.HubSettings;
import io.switchboard.application.hub.NoHistory;
import io.switchboard.application.hub.QuietSink;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.port.LimitSettings;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.application.port.in.RefusalReason;
import io.switchboard.application.port.out.AuditLog;
import io.switchboard.application.port.out.TokenVerifier;
import io.switchboard.application.rooms.NoRooms;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.application.port.out.BackendHooks;
import io.switchboard.application.port.out.HookCall;
import io.switchboard.application.port.out.HookReply;
import io.switchboard.application.hub.HookStats;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.OverflowPolicy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one admission decision (SPEC 14), without a socket: each check in its order, the reason a
 * transport maps to what its client sees, one audit entry per refusal, and no slot held by a refused
 * client.
 */
class AdmissionServiceTest {
    private static final HubSettings SETTINGS = new HubSettings(1024, 1 << 20, OverflowPolicy.DISCONNECT,
            Duration.ofSeconds(30), Duration.ofSeconds(10), 4096, 10, 10, 20, 100, Duration.ofMillis(1), Duration.ofSeconds(1), 0);
    private static final Instant LATER = Instant.now().plusSeconds(600);

    private final List<AuditEntry> audited = new CopyOnWriteArrayList<>();
    private final AuditTrail audit = new AuditTrail(new RecordingAudit(audited), Clock.systemUTC());
    private final Hub hub = new Hub(SETTINGS, new RoomAccess(Map.of("team", RoomPolicy.parse("authenticated")), Optional.empty()),
            new RoomRules(Set.of(), Map.of(), new NoRooms()), null, audit, new NoHistory(), Clock.systemUTC(), new HubMetrics(), Runnable::run);
    private final TokenVerifier tokens = token -> switch (token) {
        case "alice" -> new Principal("alice", Set.of(), List.of(), LATER);
        case "root" -> new Principal("root", Set.of("admin"), List.of(), LATER);
        case "backend" -> new Principal("backend", Set.of("publisher"), List.of(), LATER);
        case "old" -> throw new TokenRejectedException(ErrorCode.AUTH_EXPIRED, "the token has expired");
        default -> throw new TokenRejectedException(ErrorCode.AUTH_INVALID, "the token's signature does not match");
    };
    private final EndpointAuthenticator auth = new EndpointAuthenticator(Optional.of(tokens), "switchboard_token");
    private ApiCredentials credentials = new ApiCredentials(List.of("key-1"), Optional.of(tokens));

    @Test
    void aClientWithNothingAgainstItIsAdmittedWithASlotAndItsRooms() {
        ConnectionLimiter limiter = limiter(0, 0);
        Admission admission = service(limiter).admit(request("alice").joining(List.of(Template.of("user:{sub}"), Template.of("team:red")),
                Map.of(), 0));
        Admission.Admitted admitted = assertInstanceOf(Admission.Admitted.class, admission);
        assertEquals("alice", admitted.principal().userId());
        assertEquals(List.of("user:alice", "team:red"), admitted.rooms());
        assertEquals(1, limiter.held());
        admitted.slot().release();
        assertEquals(0, limiter.held());
    }

    @Test
    void aShuttingDownHubRefusesBeforeAnythingElse() {
        hub.shutdown();
        assertRefused(service(limiter(0, 0)).admit(request("nobody-checks-this-token")), RefusalReason.UNAVAILABLE, "UNAVAILABLE");
    }

    @Test
    void aForeignOriginIsRefusedBeforeItsAttemptIsCounted() {
        AdmissionService admissions = service(limiter(0, 1)); // one attempt per minute
        ConnectRequest foreign = ConnectRequest.of("/ws", "10.0.0.1", "https://evil.example", List.of("https://app.example"),
                AuthMode.OPTIONAL, null);
        Admission.Refused refused = assertRefused(admissions.admit(foreign), RefusalReason.ORIGIN_NOT_ALLOWED, "FORBIDDEN");
        assertTrue(refused.message().contains("https://evil.example"), "says which Origin: " + refused.message());
        assertInstanceOf(Admission.Admitted.class, admissions.admit(request(null)), "the attempt is still there to use");
        assertRefused(admissions.admit(request(null)), RefusalReason.TOO_MANY_ATTEMPTS, "RATE_LIMITED");
        assertEquals(List.of("connection.rejected", "limit.rejected"), auditedTypes());
    }

    @Test
    void anEndpointThatRequiresOriginRefusesARequestWithoutOne() {
        AdmissionService admissions = service(limiter(0, 0));
        ConnectRequest noOrigin = ConnectRequest.of("/live", "10.0.0.1", null, List.of(), AuthMode.OPTIONAL, null)
                .requiringOrigin(true);
        Admission.Refused refused = assertRefused(admissions.admit(noOrigin), RefusalReason.ORIGIN_MISSING, "FORBIDDEN");
        assertTrue(refused.message().contains("Origin"), refused.message());
        assertEquals(List.of("connection.rejected"), auditedTypes());
        ConnectRequest browser = ConnectRequest.of("/live", "10.0.0.1", "https://app.example", List.of(), AuthMode.OPTIONAL,
                null).requiringOrigin(true);
        assertInstanceOf(Admission.Admitted.class, admissions.admit(browser));
        assertInstanceOf(Admission.Admitted.class, admissions.admit(noOrigin.requiringOrigin(false)), "without the option: a non-browser client");
    }

    @Test
    void aRejectedTokenSaysWhyAndHoldsNoSlot() {
        ConnectionLimiter limiter = limiter(0, 0);
        Admission.Refused expired = assertRefused(service(limiter).admit(request("old")), RefusalReason.TOKEN_REJECTED, "AUTH_EXPIRED");
        assertTrue(expired.reconnect(), "an expired token may be replaced");
        Admission.Refused invalid = assertRefused(service(limiter).admit(request("forged")), RefusalReason.TOKEN_REJECTED, "AUTH_INVALID");
        assertTrue(!invalid.reconnect());
        assertEquals(0, limiter.held());
        assertEquals(List.of("auth.failed", "auth.failed"), auditedTypes());
    }

    @Test
    void theAuditStreamIsForAdministratorsOrLoopbackWhenNoCredentialsExist() {
        AdmissionService admissions = service(limiter(0, 0));
        assertRefused(admissions.admit(adminOnly("alice", false)), RefusalReason.FORBIDDEN, "FORBIDDEN");
        assertInstanceOf(Admission.Admitted.class, admissions.admit(adminOnly("root", false)));
        assertInstanceOf(Admission.Admitted.class, admissions.admit(adminOnly(null, true)));
        assertEquals(List.of("authz.denied"), auditedTypes());
    }

    @Test
    void theCommandStreamTakesAnApiKeyOrAPublishersToken() {
        ConnectionLimiter limiter = limiter(0, 0);
        AdmissionService admissions = service(limiter);
        Admission.Admitted byKey = assertInstanceOf(Admission.Admitted.class, admissions.admit(backend(AuthMode.API_PUBLISHER, "key-1", false)));
        assertEquals(1, limiter.held(), "a backend stream holds a place in the limits too");
        byKey.slot().release();
        assertInstanceOf(Admission.Admitted.class, admissions.admit(backend(AuthMode.API_PUBLISHER, "backend", false)));
        Admission.Refused none = assertRefused(admissions.admit(backend(AuthMode.API_PUBLISHER, null, true)),
                RefusalReason.TOKEN_REJECTED, "AUTH_INVALID");
        assertTrue(none.message().contains("needs a credential"), none.message());
        assertRefused(admissions.admit(backend(AuthMode.API_PUBLISHER, "key-2", false)), RefusalReason.TOKEN_REJECTED, "AUTH_INVALID");
        assertRefused(admissions.admit(backend(AuthMode.API_PUBLISHER, "alice", false)), RefusalReason.FORBIDDEN, "FORBIDDEN");
        assertEquals(List.of("auth.failed", "auth.failed", "authz.denied"), auditedTypes());
    }

    @Test
    void theSseAuditStreamTakesAnAdministratorsTokenNeverAnApiKey() {
        AdmissionService admissions = service(limiter(0, 0));
        assertInstanceOf(Admission.Admitted.class, admissions.admit(backend(AuthMode.API_ADMIN, "root", false)));
        assertRefused(admissions.admit(backend(AuthMode.API_ADMIN, "key-1", false)), RefusalReason.TOKEN_REJECTED, "AUTH_INVALID");
        assertRefused(admissions.admit(backend(AuthMode.API_ADMIN, "backend", false)), RefusalReason.FORBIDDEN, "FORBIDDEN");
        assertEquals(List.of("auth.failed", "authz.denied"), auditedTypes());
    }

    @Test
    void withNoCredentialsConfiguredBackendStreamsAreForThisMachineOnly() {
        credentials = new ApiCredentials(List.of(), Optional.empty());
        AdmissionService admissions = service(limiter(0, 0));
        assertInstanceOf(Admission.Admitted.class, admissions.admit(backend(AuthMode.API_ADMIN, null, true)));
        assertInstanceOf(Admission.Admitted.class, admissions.admit(backend(AuthMode.API_PUBLISHER, "anything", true)));
        Admission.Refused remote = assertRefused(admissions.admit(backend(AuthMode.API_PUBLISHER, null, false)),
                RefusalReason.FORBIDDEN, "FORBIDDEN");
        assertTrue(remote.message().contains("only loopback clients"), remote.message());
    }

    @Test
    void aBoundPathMustNameTheTokensUser() {
        AdmissionService admissions = service(limiter(0, 0));
        assertInstanceOf(Admission.Admitted.class, admissions.admit(bound("alice", "alice")));
        Admission.Refused other = assertRefused(admissions.admit(bound("alice", "bob")), RefusalReason.FORBIDDEN, "FORBIDDEN");
        assertTrue(other.message().contains("userId must equal the token's sub"), other.message());
        assertRefused(admissions.admit(bound(null, "bob")), RefusalReason.FORBIDDEN, "FORBIDDEN");
    }

    @Test
    void roomsJoinedOnConnectAreCheckedInOrderAndAFullOneTakesNoSlot() {
        ConnectionLimiter limiter = limiter(0, 0);
        AdmissionService admissions = service(limiter);
        assertRefused(admissions.admit(request(null).joining(List.of(Template.of("user:{sub}")), Map.of(), 0)),
                RefusalReason.FORBIDDEN, "FORBIDDEN"); // needs a user
        assertRefused(admissions.admit(request("alice").joining(List.of(Template.of("$audit")), Map.of(), 0)),
                RefusalReason.FORBIDDEN, "FORBIDDEN"); // reserved
        assertRefused(admissions.admit(request(null).joining(List.of(Template.of("team:red")), Map.of(), 0)),
                RefusalReason.FORBIDDEN, "FORBIDDEN"); // the namespace's policy
        assertRefused(admissions.admit(request("alice").joining(List.of(Template.of("room {x}")), Map.of("x", "a"), 0)),
                RefusalReason.INVALID, "MESSAGE_INVALID");
        hub.open(new ConnectionSpec("/ws", "websocket", "10.0.0.9", null, false), new QuietSink(), new CanonicalDialect(Clock.systemUTC()),
                List.of("lobby:1"), 1);
        Admission.Refused full = assertRefused(admissions.admit(request(null).joining(List.of(Template.of("lobby:1")), Map.of(), 1)),
                RefusalReason.ROOM_FULL, "CONNECTION_LIMIT");
        assertTrue(full.message().contains("lobby:1 is full"), full.message());
        assertEquals(0, limiter.held(), "no refused client holds a slot");
    }

    @Test
    void connectionLimitsDecideLast() {
        AdmissionService admissions = service(limiter(1, 0)); // one connection per address
        Admission.Admitted first = assertInstanceOf(Admission.Admitted.class, admissions.admit(request(null)));
        assertRefused(admissions.admit(request("forged")), RefusalReason.TOKEN_REJECTED, "AUTH_INVALID"); // the token before the limit
        assertRefused(admissions.admit(request(null)), RefusalReason.CONNECTION_LIMIT, "CONNECTION_LIMIT");
        first.slot().release();
        assertInstanceOf(Admission.Admitted.class, admissions.admit(request(null)));
    }

    @Test
    void aClientNamingItsUserLaterIsNotCountedAsANewAttempt() {
        AdmissionService admissions = service(limiter(0, 1));
        ConnectRequest arrival = request(null);
        assertInstanceOf(Admission.Admitted.class, admissions.admit(arrival));
        Admission.Admitted named = assertInstanceOf(Admission.Admitted.class,
                admissions.admit(arrival.later(AuthMode.OPTIONAL, "alice")));
        assertEquals("alice", named.principal().userId());
    }

    @Test
    void theConnectHookIsAskedThroughTheDoorAfterTheTokenAndItsRefusalTakesNoSlot() {
        List<HookCall> asked = new CopyOnWriteArrayList<>();
        ConnectionLimiter limiter = limiter(0, 0);
        AdmissionService admissions = hooked(limiter, call -> {
            asked.add(call);
            return new HookReply.Denied("USER_NOT_FOUND", "User ID in token does not exist");
        });
        assertInstanceOf(Admission.Admitted.class, admissions.admit(request("alice")), "no door: the hook is not asked");
        assertRefused(admissions.admit(request("forged").through(door())), RefusalReason.TOKEN_REJECTED, "AUTH_INVALID");
        assertEquals(0, asked.size(), "a bad token is refused before the hook is asked");
        Admission.Refused refused = assertRefused(admissions.admit(request("alice").through(door())), RefusalReason.FORBIDDEN,
                "USER_NOT_FOUND");
        assertEquals("User ID in token does not exist", refused.message());
        assertEquals(1, asked.size());
        assertEquals(1, limiter.held(), "only the first, unhooked client holds a slot");
        assertEquals(List.of("auth.failed", "authz.denied"), auditedTypes(), "the hook's refusal is audited once");
        HookCall call = asked.getFirst();
        assertEquals("/ws", call.endpoint());
        assertEquals("/ws/lobby", call.path());
        assertEquals(Map.of("authorization", "Bearer alice"), call.headers(), "only the headers the hook names, by lower-case name");
        assertEquals("alice", call.userId());
        assertEquals("alice", call.claims().get("sub"));
        assertEquals(null, call.connectionId());
    }

    @Test
    void theConnectHooksUserRoomsAndExpiryApplyToTheConnection() {
        Instant soon = Instant.now().plusSeconds(60);
        AdmissionService admissions = hooked(limiter(0, 0),
                call -> new HookReply.Allowed("user-7", List.of("team:red", "news:1"), null, soon, null));
        Admission.Admitted admitted = assertInstanceOf(Admission.Admitted.class, admissions.admit(request(null)
                .joining(List.of(Template.of("user:{sub}")), Map.of(), 0).through(door())));
        assertEquals("user-7", admitted.principal().userId(), "an anonymous client named by the application");
        assertEquals(soon, admitted.principal().expiresAt());
        assertEquals(List.of("user:user-7", "team:red", "news:1"), admitted.rooms(),
                "the endpoint's rooms for the hook's user, then the hook's (team:red needs a user, which it now has)");
        Admission.Refused reserved = assertRefused(hooked(limiter(0, 0), call -> new HookReply.Allowed(null, List.of("$audit"), null, null,
                null)).admit(request("alice").through(door())), RefusalReason.FORBIDDEN, "FORBIDDEN");
        assertTrue(reserved.message().contains("reserved"), "the hook's rooms pass the same checks: " + reserved.message());
    }

    @Test
    void aFailedConnectHookRefusesUnlessItFailsOpen() {
        BackendHooks down = call -> new HookReply.Failed("could not connect");
        assertRefused(hooked(limiter(0, 0), down).admit(request("alice").through(door())), RefusalReason.FORBIDDEN, "FORBIDDEN");
        AdmissionService open = new AdmissionService(hub, auth, credentials, limiter(0, 0), audit,
                new ConnectHooks(Map.of("/ws", new Hook(HookKind.CONNECT, URI.create("http://app/hook"), List.of(), Duration.ofSeconds(2), true))),
                new HookGate(down, new HookStats(), System::nanoTime));
        Admission.Admitted admitted = assertInstanceOf(Admission.Admitted.class, open.admit(request("alice").through(door())));
        assertEquals("alice", admitted.principal().userId(), "the token's user stays");
    }

    private AdmissionService hooked(ConnectionLimiter limiter, BackendHooks backend) {
        Hook hook = new Hook(HookKind.CONNECT, URI.create("http://app/hook"), List.of("Authorization"), Duration.ofSeconds(2), false);
        return new AdmissionService(hub, auth, credentials, limiter, audit, new ConnectHooks(Map.of("/ws", hook)),
                new HookGate(backend, new HookStats(), System::nanoTime));
    }

    private static ConnectRequest.Door door() {
        Map<String, String> headers = Map.of("authorization", "Bearer alice", "cookie", "session=1");
        return new ConnectRequest.Door("/ws/lobby", name -> headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    private AdmissionService service(ConnectionLimiter limiter) {
        return new AdmissionService(hub, auth, credentials, limiter, audit);
    }

    private static ConnectRequest backend(AuthMode mode, String credential, boolean loopbackAdmin) {
        return ConnectRequest.backend("/api/v1/commands", "10.0.0.1", loopbackAdmin, mode, credential);
    }

    private ConnectionLimiter limiter(int perIp, int attemptsPerMinute) {
        return new ConnectionLimiter(new LimitSettings(0, perIp, 0, LimitSettings.LimitPolicy.REJECT, LimitSettings.LimitPolicy.REJECT,
                LimitSettings.LimitPolicy.REJECT, attemptsPerMinute), hub, audit);
    }

    private static ConnectRequest request(String token) {
        return ConnectRequest.of("/ws", "10.0.0.1", null, List.of(), AuthMode.OPTIONAL, token);
    }

    private static ConnectRequest adminOnly(String token, boolean loopbackAdmin) {
        return new ConnectRequest("/ws/audit", "127.0.0.1", loopbackAdmin, null, List.of(), AuthMode.OPTIONAL, token,
                true, Map.of(), List.of(), Map.of(), 0, true);
    }

    private static ConnectRequest bound(String token, String userIdInPath) {
        return new ConnectRequest("/ws/dashboard/{userId}", "10.0.0.1", false, null, List.of(), AuthMode.OPTIONAL,
                token, false, Map.of("userId", "sub"), List.of(), Map.of("userId", userIdInPath), 0, true);
    }

    private static Admission.Refused assertRefused(Admission admission, RefusalReason reason, String code) {
        Admission.Refused refused = assertInstanceOf(Admission.Refused.class, admission);
        assertEquals(reason, refused.reason(), refused.toString());
        assertEquals(code, refused.code(), refused.toString());
        return refused;
    }

    private List<String> auditedTypes() {
        audit.close();
        return audited.stream().map(AuditEntry::type).toList();
    }

    private record RecordingAudit(List<AuditEntry> entries) implements AuditLog {
        @Override
        public AuditEntry append(AuditEntry entry) {
            entries.add(entry);
            return entry;
        }

        @Override
        public List<AuditEntry> query(Instant since, AuditFilter filter, int limit) {
            return List.of();
        }
    }
}

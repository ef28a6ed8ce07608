package io.switchboard.application.access;

import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.port.Template;
import io.switchboard.application.hooks.ConnectHooks;
import io.switchboard.application.hooks.Hook;
import io.switchboard.application.hooks.HookDecision;
import io.switchboard.application.hooks.HookGate;
import io.switchboard.application.hooks.HookQuestions;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.limits.LimitCheck;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.Admission;
import io.switchboard.application.port.in.ConnectRequest;
import io.switchboard.application.port.in.RefusalReason;
import io.switchboard.application.port.out.HookReply;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.RoomName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one admission decision for WebSocket, Socket.IO and SSE clients and the audit streams: each
 * check in the order SPEC 14 gives, the first failure answers. A refusal is audited and logged here,
 * once; the connection-limit slot is taken last, so a refused client holds none. The endpoint's connect
 * hook, if it has one, is asked after the token and role checks and before the rooms (SPEC 16): it may
 * refuse, name the user, add rooms and end the grant earlier.
 */
public final class AdmissionService implements AdmitConnectionUseCase {
    private static final System.Logger LOG = System.getLogger(AdmissionService.class.getName());

    private final Hub hub;
    private final EndpointAuthenticator auth;
    private final ConnectionLimiter limiter;
    private final ApiCredentials credentials;
    private final AuditTrail audit;
    private final ConnectHooks connectHooks;
    private final HookGate hooks;

    public AdmissionService(Hub hub, EndpointAuthenticator auth, ApiCredentials credentials, ConnectionLimiter limiter,
                            AuditTrail audit) {
        this(hub, auth, credentials, limiter, audit, ConnectHooks.NONE, null);
    }

    /** @param hooks asks the endpoints' connect hooks; may be {@code null} when {@code connectHooks} has none */
    public AdmissionService(Hub hub, EndpointAuthenticator auth, ApiCredentials credentials, ConnectionLimiter limiter,
                            AuditTrail audit, ConnectHooks connectHooks, HookGate hooks) {
        this.hub = hub;
        this.auth = auth;
        this.credentials = credentials;
        this.limiter = limiter;
        this.audit = audit;
        this.connectHooks = connectHooks;
        this.hooks = hooks;
    }

    @Override
    public Admission admit(ConnectRequest request) {
        if (!hub.accepting()) {
            return refused(request, RefusalReason.UNAVAILABLE, "UNAVAILABLE", "the hub is shutting down; retry shortly");
        }
        if (request.origin() != null && !request.origins().isEmpty() && !request.origins().contains(request.origin())) {
            audit.record("connection.rejected", null, null, request.peer(), request.endpoint(), "403", null,
                    "Origin not allowed: " + request.origin());
            return refused(request, RefusalReason.ORIGIN_NOT_ALLOWED, ErrorCode.FORBIDDEN.name(),
                    "this Origin is not allowed on " + request.endpoint() + ": " + request.origin());
        }
        if (request.originRequired() && request.firstContact() && (request.origin() == null || request.origin().isBlank())) {
            audit.record("connection.rejected", null, null, request.peer(), request.endpoint(), "403", null, "Origin missing");
            return refused(request, RefusalReason.ORIGIN_MISSING, ErrorCode.FORBIDDEN.name(),
                    "an Origin header is required on " + request.endpoint() + " (browsers send it; other clients must too)");
        }
        LimitCheck.Refused tooMany = request.firstContact() ? limiter.attempt(request.peer(), request.endpoint()) : null; // audited there
        if (tooMany != null) {
            return refused(request, RefusalReason.TOO_MANY_ATTEMPTS, tooMany.code(), tooMany.message());
        }
        Principal principal = null;
        if (request.auth().api()) {
            Admission.Refused refusal = apiRefusal(request);
            if (refusal != null) {
                return refusal;
            }
        } else {
            try {
                principal = auth.authenticate(request.auth(), request.token());
            } catch (TokenRejectedException e) {
                audit.record("auth.failed", null, null, request.peer(), request.endpoint(), e.code().name(), null, e.getMessage());
                return refused(request, RefusalReason.TOKEN_REJECTED, e.code().name(), e.getMessage());
            }
        }
        String forbidden = forbidden(request, principal);
        if (forbidden != null) {
            audit.record("authz.denied", null, principal == null ? null : principal.userId(), request.peer(), request.endpoint(), "denied",
                    null, forbidden);
            return refused(request, RefusalReason.FORBIDDEN, ErrorCode.FORBIDDEN.name(), forbidden);
        }
        HookReply.Allowed granted = HookReply.Allowed.plain();
        Hook hook = request.door() == null ? null : connectHooks.of(request.endpoint()).orElse(null);
        if (hook != null) {
            switch (hooks.decide(hook, HookQuestions.connect(hook, request.endpoint(), request.door().path(), request.parameters(),
                    request.door().header(), principal))) {
                case HookDecision.Refuse refusal -> {
                    audit.record("authz.denied", null, principal == null ? null : principal.userId(), request.peer(), request.endpoint(),
                            "denied", null, "connect hook: " + refusal.code());
                    return refused(request, RefusalReason.FORBIDDEN, refusal.code(), refusal.message());
                }
                case HookDecision.Allow allow -> granted = allow.granted();
            }
            principal = granted(principal, granted);
        }
        String userId = principal == null ? null : principal.userId();
        List<String> rooms = new ArrayList<>();
        for (Template template : request.rooms()) {
            String room = template.expand(name -> request.parameters().containsKey(name) ? request.parameters().get(name) : userId);
            if (room == null) {
                String reason = "this endpoint's room " + template + " needs an authenticated user; connect with a token";
                audit.record("authz.denied", null, null, request.peer(), request.endpoint(), "denied", null, reason);
                return refused(request, RefusalReason.FORBIDDEN, ErrorCode.FORBIDDEN.name(), reason);
            }
            Admission.Refused refusal = roomRefusal(request, principal, room);
            if (refusal != null) {
                return refusal;
            }
            rooms.add(room);
        }
        for (String room : granted.rooms()) {
            Admission.Refused refusal = rooms.contains(room) ? null : roomRefusal(request, principal, room);
            if (refusal != null) {
                return refusal;
            }
            if (!rooms.contains(room)) {
                rooms.add(room);
            }
        }
        LimitCheck limits = limiter.admit(request.peer(), userId, request.endpoint()); // audited there
        if (limits instanceof LimitCheck.Refused full) {
            RefusalReason reason = full.code().equals("UNAVAILABLE") ? RefusalReason.UNAVAILABLE : RefusalReason.CONNECTION_LIMIT;
            return refused(request, reason, full.code(), full.message());
        }
        return new Admission.Admitted(principal, ((LimitCheck.Admitted) limits).slot(), rooms);
    }

    /** A backend stream's caller without the API credentials its mode needs, refused; or {@code null}. */
    private Admission.Refused apiRefusal(ConnectRequest request) {
        ApiCredentials.Verdict verdict = credentials.check(request.auth(), request.token(), request.loopbackAdmin());
        if (verdict == ApiCredentials.Verdict.ALLOWED) {
            return null;
        }
        String why = ApiCredentials.explain(verdict);
        if (verdict == ApiCredentials.Verdict.NOT_LOOPBACK || verdict == ApiCredentials.Verdict.MISSING_ROLE) {
            audit.record("authz.denied", null, null, request.peer(), request.endpoint(), "denied", null, why);
            return refused(request, RefusalReason.FORBIDDEN, ErrorCode.FORBIDDEN.name(), why);
        }
        audit.record("auth.failed", null, null, request.peer(), request.endpoint(), ErrorCode.AUTH_INVALID.name(), null, why);
        return refused(request, RefusalReason.TOKEN_REJECTED, ErrorCode.AUTH_INVALID.name(), why);
    }

    /** Why an administrators-only endpoint or a bound path refuses {@code principal}, or {@code null}. */
    private static String forbidden(ConnectRequest request, Principal principal) {
        if (request.adminOnly() && !request.loopbackAdmin() && (principal == null || !principal.hasRole("admin"))) {
            return "the audit stream is for administrators (role admin)";
        }
        for (Map.Entry<String, String> bound : request.bound().entrySet()) {
            String value = request.parameters().get(bound.getKey());
            if (principal == null || !principal.userId().equals(value)) {
                return "this path's " + bound.getKey() + " must equal the token's " + bound.getValue()
                        + (principal == null ? "; connect with a token" : "");
            }
        }
        return null;
    }

    /**
     * The client as the connect hook's answer makes it: the hook's user (if it names one), the hook's
     * expiry (if it gives one; otherwise the token's, or none for a user only the hook named) and the hook's
     * {@code info} (what presence shows; otherwise the token's).
     */
    private static Principal granted(Principal principal, HookReply.Allowed granted) {
        String userId = granted.userId() != null ? granted.userId() : principal == null ? null : principal.userId();
        if (userId == null) {
            return null;
        }
        Instant expiresAt = granted.expiresAt() != null ? granted.expiresAt() : principal == null ? Instant.MAX : principal.expiresAt();
        String info = granted.info() != null && granted.info().length() <= Principal.MAX_INFO ? granted.info()
                : principal == null ? null : principal.info();
        return principal == null ? new Principal(userId, Set.of(), List.of(), expiresAt, info)
                : new Principal(userId, principal.roles(), principal.rooms(), expiresAt, info);
    }

    /** A room joined on connect (the endpoint's or the connect hook's) that refuses the client: invalid, reserved, denied by its policy, or full. */
    private Admission.Refused roomRefusal(ConnectRequest request, Principal principal, String room) {
        String problem = RoomName.problemWith(room);
        if (problem != null) {
            return refused(request, RefusalReason.INVALID, ErrorCode.MESSAGE_INVALID.name(), "room " + room + ": " + problem);
        }
        RoomName name = new RoomName(room);
        String userId = principal == null ? null : principal.userId();
        String denial = name.reserved() && !name.equals(Hub.STATS_ROOM) ? "room " + room + " is reserved for the hub" : hub.denial(principal, name);
        if (denial != null) {
            audit.record("authz.denied", null, userId, request.peer(), request.endpoint(), "denied", room, denial);
            return refused(request, RefusalReason.FORBIDDEN, ErrorCode.FORBIDDEN.name(), denial);
        }
        if (hub.full(name, request.roomLimit())) {
            audit.record("limit.rejected", null, userId, request.peer(), request.endpoint(), "room full", room, null);
            return refused(request, RefusalReason.ROOM_FULL, ErrorCode.CONNECTION_LIMIT.name(),
                    "room " + room + " is full: at most " + request.roomLimit() + " connections");
        }
        return null;
    }

    private static Admission.Refused refused(ConnectRequest request, RefusalReason reason, String code, String message) {
        LOG.log(System.Logger.Level.INFO, "connection refused ip={0} endpoint={1}: {2} ({3})", request.peer(), request.endpoint(), code, message);
        return new Admission.Refused(reason, code, message);
    }
}

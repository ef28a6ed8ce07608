package io.switchboard.adapters.sse;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/audit/stream}: administrators watch audit entries live as SSE, filtered by the
 * query parameters {@code types}, {@code user}, {@code room}, {@code ip}. The admin token may come as
 * {@code Authorization: Bearer} or, for a browser's EventSource, the {@code token} query parameter.
 */
final class AuditStream implements Handler {
    private final EventStream streams;
    private final AuditTrail audit;
    private final ApiCredentials credentials;

    AuditStream(EventStream streams, AuditTrail audit, ApiCredentials credentials) {
        this.streams = streams;
        this.audit = audit;
        this.credentials = credentials;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElse(req.query().first("token").map(t -> "Bearer " + t).orElse(null));
        ApiCredentials.Verdict verdict = credentials.checkAdmin(authorization, req.remotePeer().address());
        if (verdict != ApiCredentials.Verdict.ALLOWED) {
            boolean forbidden = verdict == ApiCredentials.Verdict.NOT_LOOPBACK || verdict == ApiCredentials.Verdict.MISSING_ROLE;
            audit.record(forbidden ? "authz.denied" : "auth.failed", null, null, req.remotePeer().host(), "/api/v1/audit/stream",
                    forbidden ? "denied" : "AUTH_INVALID", null, ApiCredentials.explain(verdict));
            EventStream.refuse(res, forbidden ? Status.FORBIDDEN_403 : Status.UNAUTHORIZED_401,
                    forbidden ? "FORBIDDEN" : "AUTH_INVALID", ApiCredentials.explain(verdict));
            return;
        }
        Set<String> types = req.query().first("types")
                .map(t -> Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()))
                .orElse(Set.of());
        AuditFilter filter = new AuditFilter(types, req.query().first("user").orElse(null), req.query().first("room").orElse(null),
                req.query().first("ip").orElse(null));
        streams.stream(req, res, null, StreamPositions.parse(List.of(), null), connection -> audit.watch(connection, filter), null);
    }
}

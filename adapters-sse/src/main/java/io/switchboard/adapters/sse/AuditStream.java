package io.switchboard.adapters.sse;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.port.AuthMode;
import io.switchboard.application.port.in.ConnectRequest;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/audit/stream}: administrators watch audit entries live as SSE, filtered by the
 * query parameters {@code types}, {@code user}, {@code room}, {@code ip}. The admin token may come as
 * {@code Authorization: Bearer} or, for a browser's EventSource, the {@code token} query parameter.
 * The caller is admitted like every other client (its credentials checked, audited, counted in the limits).
 */
final class AuditStream implements Handler {
    static final String PATH = "/api/v1/audit/stream";

    private final EventStream streams;
    private final AuditTrail audit;
    private final BackendCaller callers;

    AuditStream(EventStream streams, AuditTrail audit, BackendCaller callers) {
        this.streams = streams;
        this.audit = audit;
        this.callers = callers;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        String credential = callers.credential(req).orElse(req.query().first("token").orElse(null));
        ConnectRequest request = ConnectRequest.backend(PATH, req.remotePeer().host(), callers.loopbackAdmin(req), AuthMode.API_ADMIN,
                credential);
        Set<String> types = req.query().first("types")
                .map(t -> Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()))
                .orElse(Set.of());
        AuditFilter filter = new AuditFilter(types, req.query().first("user").orElse(null), req.query().first("room").orElse(null),
                req.query().first("ip").orElse(null));
        streams.admitAndStream(req, res, request, StreamPositions.parse(List.of(), null), connection -> audit.watch(connection, filter));
    }
}

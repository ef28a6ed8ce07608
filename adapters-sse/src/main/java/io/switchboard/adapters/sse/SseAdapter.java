package io.switchboard.adapters.sse;

import io.helidon.webserver.http.HttpRouting;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.port.in.AdmitConnectionUseCase;

import java.time.Clock;
import java.util.List;

/** The SSE adapter's entry: {@code /sse}, configured SSE endpoints, the publishers' command stream and the audit stream. */
public final class SseAdapter {
    private SseAdapter() {
    }

    public static void register(HttpRouting.Builder routing, Hub hub, AdmitConnectionUseCase admissions, EndpointAuthenticator auth,
                                ConnectionLimiter limiter,
                                ApiCredentials credentials, AuditTrail audit, SseSettings settings, List<SseEndpoint> endpoints,
                                Clock clock) {
        CanonicalDialect dialect = new CanonicalDialect(clock);
        EventStream streams = new EventStream(hub, settings, admissions, auth, limiter, dialect,
                req -> req.query().first("rooms").orElse(""));
        routing.get(settings.path(), streams);
        for (SseEndpoint endpoint : endpoints) {
            SseSettings endpointSettings = new SseSettings(endpoint.path(), settings.heartbeat(), settings.retry(), endpoint.auth(),
                    settings.origins());
            routing.get(endpoint.path(), new EventStream(hub, endpointSettings, admissions, auth, limiter, dialect,
                    req -> endpoint.roomsFor(pathParameters(req))));
        }
        BackendCaller callers = new BackendCaller(credentials.loopbackOnly());
        routing.get(CommandStream.PATH, new CommandStream(hub, streams, callers));
        routing.get(AuditStream.PATH, new AuditStream(streams, audit, callers));
    }

    private static java.util.Map<String, String> pathParameters(io.helidon.webserver.http.ServerRequest req) {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        var parameters = req.path().pathParameters();
        parameters.names().forEach(name -> values.put(name, parameters.first(name).orElse("")));
        return values;
    }
}

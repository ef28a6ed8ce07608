package io.switchboard.adapters.sse;

import io.helidon.webserver.http.HttpRouting;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.limits.ConnectionLimiter;

import java.time.Clock;

/** The SSE adapter's entry: the {@code /sse} endpoint, the publishers' command stream and the audit stream. */
public final class SseAdapter {
    private SseAdapter() {
    }

    public static void register(HttpRouting.Builder routing, Hub hub, EndpointAuthenticator auth, ConnectionLimiter limiter,
                                ApiCredentials credentials, AuditTrail audit, SseSettings settings, Clock clock) {
        EventStream streams = new EventStream(hub, settings, auth, limiter, audit, new CanonicalDialect(clock));
        routing.get(settings.path(), streams);
        routing.get("/api/v1/commands", new CommandStream(hub, streams, credentials));
        routing.get("/api/v1/audit/stream", new AuditStream(streams, audit, credentials));
    }
}

package io.switchboard.adapters.websocket;

import io.helidon.webserver.websocket.WsRouting;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.port.in.SendCommandUseCase;

import java.time.Clock;

/** The WebSocket adapter's entry: registers the canonical endpoint, the administrators' audit stream and the Socket.IO endpoint. */
public final class WebSocketAdapter {
    private WebSocketAdapter() {
    }

    public static void register(WsRouting.Builder routing, Hub hub, SendCommandUseCase commands, EndpointAuthenticator auth,
                                ConnectionLimiter limiter, AuditTrail audit, WebSocketSettings settings, Clock clock,
                                ApiCredentials credentials) {
        CanonicalDialect dialect = new CanonicalDialect(clock);
        ClientMessages messages = new ClientMessages(hub, commands, auth, audit, settings.auditPath());
        routing.endpoint(settings.path(), () -> new HubSocket(hub, settings, auth, limiter, audit, false, false, dialect, messages));
        routing.endpoint(settings.auditPath(), () -> new HubSocket(hub, settings, auth, limiter, audit, true, credentials.loopbackOnly(), dialect, messages));
    }

    /** The Socket.IO endpoint (SPEC 3.2), when {@code settings} enable it; the client asks for {@code <path>/}, so both forms match. */
    public static void registerSocketIo(WsRouting.Builder routing, Hub hub, EndpointAuthenticator auth, ConnectionLimiter limiter,
                                        AuditTrail audit, SocketIoSettings settings, Clock clock) {
        if (!settings.enabled()) {
            return;
        }
        CanonicalDialect canonical = new CanonicalDialect(clock);
        SocketIoEvents events = new SocketIoEvents(hub, settings);
        routing.endpoint(settings.basePath(), () -> new SocketIoSocket(hub, settings, auth, limiter, audit, canonical, events));
        routing.endpoint(settings.basePath() + "/", () -> new SocketIoSocket(hub, settings, auth, limiter, audit, canonical, events));
    }
}

package io.switchboard.adapters.websocket;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.dialect.ConfiguredDialect;
import io.switchboard.application.dialect.DialectSpec;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.presence.PresenceService;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.SendCommandUseCase;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket adapter's entry: registers the canonical endpoint, the administrators' audit stream
 * the configured endpoints and the Socket.IO endpoint. Helidon's WebSocket routing matches path templates
 * ({@code /ws/dashboard/{userId}}); each listener reads the parameters' values from the request path.
 */
public final class WebSocketAdapter {
    private WebSocketAdapter() {
    }

    public static void register(WsRouting.Builder routing, Hub hub, AdmitConnectionUseCase admissions, SendCommandUseCase commands,
                                EndpointAuthenticator auth, ConnectionLimiter limiter, AuditTrail audit, WebSocketSettings settings, Clock clock,
                                ApiCredentials credentials, List<WebSocketEndpoint> endpoints, PresenceService presence) {
        CanonicalDialect canonical = new CanonicalDialect(clock);
        ClientMessages messages = new ClientMessages(hub, commands, auth, audit, settings.auditPath(), DialectSpec.CANONICAL, false,
                presence);
        WebSocketEndpoint main = canonical(settings.path(), settings);
        WebSocketEndpoint auditStream = canonical(settings.auditPath(), settings);
        PathTemplate plain = new PathTemplate("");
        routing.endpoint(settings.path(), () -> new HubSocket(hub, main, plain, admissions, auth, limiter, audit, false, false,
                parameters -> canonical, messages));
        routing.endpoint(settings.auditPath(), () -> new HubSocket(hub, auditStream, plain, admissions, auth, limiter, audit, true,
                credentials.loopbackOnly(), parameters -> canonical, messages));
        for (WebSocketEndpoint endpoint : endpoints) {
            ConfiguredDialect dialect = new ConfiguredDialect(endpoint.dialect(), clock);
            ClientMessages endpointMessages = new ClientMessages(hub, commands, auth, audit, settings.auditPath(), endpoint.dialect(),
                    endpoint.closeOnMalformed(), presence);
            PathTemplate template = new PathTemplate(endpoint.path());
            routing.endpoint(endpoint.path(), () -> new HubSocket(hub, endpoint, template, admissions, auth, limiter, audit, false, false,
                    dialect::forConnection, endpointMessages));
        }
    }

    private static WebSocketEndpoint canonical(String path, WebSocketSettings settings) {
        return new WebSocketEndpoint(path, settings.auth(), settings.rejectBeforeUpgrade(), settings.origins(), List.of(), Map.of(),
                null, false, false, DialectSpec.CANONICAL, WebSocketEndpoint.CloseStyle.CLEAN, false);
    }

    /**
     * The Socket.IO endpoint (SPEC 3.2, 16), when {@code settings} enable it: WebSocket upgrades on {@code routing},
     * long-polling requests on {@code http}. The client asks for {@code <path>/}, so both forms match.
     */
    public static void registerSocketIo(WsRouting.Builder routing, HttpRouting.Builder http, Hub hub, AdmitConnectionUseCase admissions, EndpointAuthenticator auth,
                                        SocketIoSettings settings, Clock clock, PresenceService presence) {
        if (!settings.enabled()) {
            return;
        }
        EngineIoSessions engineIo = new EngineIoSessions(hub, settings, admissions, new CanonicalDialect(clock),
                new SocketIoEvents(hub, settings, presence));
        PollingSessions polling = new PollingSessions();
        routing.endpoint(settings.basePath(), () -> new SocketIoSocket(engineIo, auth, polling));
        routing.endpoint(settings.basePath() + "/", () -> new SocketIoSocket(engineIo, auth, polling));
        new SocketIoPolling(engineIo, auth, polling).register(http);
    }
}

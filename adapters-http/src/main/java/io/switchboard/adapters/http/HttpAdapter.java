package io.switchboard.adapters.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.port.in.ReadHistoryUseCase;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.presence.PresenceService;
import io.switchboard.application.port.in.AnnounceAccessChangeUseCase;
import io.switchboard.application.port.in.PublishDomainEventsUseCase;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.rooms.RoomMembership;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.rooms.RoomStateService;
import io.switchboard.application.webhook.WebhookCapture;
import io.switchboard.application.port.in.SendCommandUseCase;
import io.switchboard.application.port.in.StatsQuery;
import io.switchboard.application.hub.HubMetrics;

import java.util.function.BooleanSupplier;

/** The REST adapter's entry: publish, commands, stats, health and metrics routes, and the pages under /admin/ and /js/. */
public final class HttpAdapter {
    private HttpAdapter() {
    }

    /** Renders the server's own error answers (bad requests, refused upgrades) as JSON {@code {"code","message"}}. */
    public static DirectHandler errorHandler() {
        return new JsonDirectHandler();
    }

    /**
     * Registers the routes. Once the hub stops accepting (shutdown), every request but the health
     * checks gets 503. Bodies are read within {@code bodies}' limits.
     */
    public static void register(HttpRouting.Builder routing, Hub hub, PublishEventsUseCase publish, SendCommandUseCase commands,
                                StatsQuery stats, HubMetrics metrics, ApiCredentials credentials, AuditTrail audit,
                                RoomMembership members, RoomRules roomRules, RoomStateService states, WebhookCapture webhooks,
                                BodyLimits bodies, PublishDomainEventsUseCase bridge,
                                AnnounceAccessChangeUseCase accessChanges, PresenceService presence) {
        BooleanSupplier accepting = hub::accepting;
        PublisherGate gate = new PublisherGate(credentials);
        routing.addFilter((chain, req, res) -> {
            // An Engine.IO long-polling request naming its session (sid) continues a connection the drain is
            // closing, as an open WebSocket's frames do: it must fetch the disconnect notice and the close.
            if (accepting.getAsBoolean() || req.path().path().startsWith("/health")
                    || (req.query().contains("EIO") && req.query().contains("sid"))) {
                chain.proceed();
            } else {
                JsonBodies.sendError(res, Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", "the hub is shutting down; retry shortly");
            }
        });
        RejectedPublishes rejections = new RejectedPublishes();
        routing.register(new PublishRoutes(publish, gate, audit, bodies.events(), rejections),
                new DomainEventRoutes(bridge, gate, audit, bodies.events(), rejections),
                new CommandRoutes(hub, commands, bodies.commands()),
                new OperationsRoutes(stats, metrics, accepting), new AdminRoutes(hub, audit, gate, presence),
                new PresenceRoutes(presence, gate),
                new MemberRoutes(members, audit, gate), new RoomRoutes(roomRules, states, gate, accessChanges, bodies.stateDocuments()),
                new WebhookRoutes(webhooks, bodies.maxWebhookBytes(), audit), new WebAssetRoutes());
        // whatever a route throws is answered in JSON, without the exception's text (SPEC 15)
        routing.error(Throwable.class, new RouteErrors());
    }

    /** Registers {@code GET /api/v1/rooms/{room}/events} (SPEC 16); after {@link #register}, whose filter and errors apply. */
    public static void registerHistory(HttpRouting.Builder routing, ReadHistoryUseCase history, ApiCredentials credentials,
                                       EndpointAuthenticator auth) {
        routing.register(new HistoryRoutes(history, new PublisherGate(credentials), auth));
    }
}

package io.switchboard.adapters.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.port.in.StatsQuery;
import io.switchboard.application.stats.HubMetrics;

import java.util.function.BooleanSupplier;

/** The REST adapter's entry: publish, stats, health and metrics routes. */
public final class HttpAdapter {
    private HttpAdapter() {
    }

    /** Renders the server's own error answers (bad requests, refused upgrades) as JSON {@code {"code","message"}}. */
    public static DirectHandler errorHandler() {
        return new JsonDirectHandler();
    }

    /**
     * @param accepting false once shutdown began: every request but the health checks then gets 503
     * @return whether publishing is limited to loopback clients (no API key configured)
     */
    public static boolean register(HttpRouting.Builder routing, PublishEventsUseCase publish, StatsQuery stats,
                                   HubMetrics metrics, BooleanSupplier accepting, HttpSettings settings) {
        PublisherGate gate = new PublisherGate(settings.apiKeys());
        routing.addFilter((chain, req, res) -> {
            if (accepting.getAsBoolean() || req.path().path().startsWith("/health")) {
                chain.proceed();
            } else {
                JsonBodies.sendError(res, Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", "the hub is shutting down; retry shortly");
            }
        });
        routing.register(new PublishRoutes(publish, gate), new OperationsRoutes(stats, metrics, accepting));
        return gate.loopbackOnly();
    }
}

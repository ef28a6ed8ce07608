package io.switchboard.adapters.sse;

import io.helidon.webserver.http.HttpRouting;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Hub;

import java.time.Clock;

/** The SSE adapter's entry: registers the {@code /sse} endpoint. */
public final class SseAdapter {
    private SseAdapter() {
    }

    public static void register(HttpRouting.Builder routing, Hub hub, SseSettings settings, Clock clock) {
        routing.get(settings.path(), new EventStream(hub, settings, new CanonicalDialect(clock)));
    }
}

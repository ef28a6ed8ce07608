package io.switchboard.application.webhook;

import io.switchboard.application.json.JsonText;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.RoomName;
import io.switchboard.domain.Timestamps;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records a request sent to {@code /hooks/{webhookId}} and publishes it as {@code new-request} to the
 * room {@code <namespace>:<webhookId>}, when that webhook is declared (seed 004).
 */
public final class WebhookCapture {
    /** The event type clients of a webhook room receive. */
    public static final String EVENT_TYPE = "new-request";

    private final String namespace;
    private final RoomDirectory directory;
    private final EventBus bus;
    private final HubMetrics metrics;
    private final Clock clock;

    public WebhookCapture(String namespace, RoomDirectory directory, EventBus bus, HubMetrics metrics, Clock clock) {
        this.namespace = namespace;
        this.directory = directory;
        this.bus = bus;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The room a webhook's captured requests go to. */
    public String room(String webhookId) {
        return namespace + ":" + webhookId;
    }

    /** @return the captured request's id, or empty when no such webhook is declared */
    public Optional<String> capture(String webhookId, CapturedRequest request) {
        String name = room(webhookId);
        if (RoomName.problemWith(name) != null || !directory.declared(new RoomName(name))) {
            return Optional.empty();
        }
        String id = UUID.randomUUID().toString();
        String data = new JsonText(256 + (request.body() == null ? 0 : request.body().length()))
                .string("id", id)
                .string("webhookId", webhookId)
                .string("method", request.method())
                .raw("headers", object(request.headers()))
                .raw("queryParams", object(request.queryParams()))
                .raw("body", request.body() == null ? "null" : JsonText.quoted(request.body()))
                .string("timestamp", Timestamps.format(clock.instant()))
                .string("sourceIp", request.sourceIp())
                .raw("userAgent", request.userAgent() == null ? "null" : JsonText.quoted(request.userAgent()))
                .close();
        bus.append(List.of(new EventDraft(new RoomName(name), EVENT_TYPE, data, Map.of(), false, null))).forEach(metrics::published);
        return Optional.of(id);
    }

    private static String object(Map<String, String> fields) {
        JsonText json = new JsonText(64 * fields.size() + 2);
        new java.util.TreeMap<>(fields).forEach(json::string);
        return json.close();
    }
}

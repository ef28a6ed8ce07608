package io.switchboard.adapters.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.webhook.CapturedRequest;
import io.switchboard.application.webhook.WebhookCapture;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code ANY /hooks/{webhookId}}: captures the request for the webhook's room; 404 when undeclared, 413 when too large. */
final class WebhookRoutes implements HttpService {
    private final WebhookCapture capture;
    private final AuditTrail audit;
    private final long maxBodyBytes;

    WebhookRoutes(WebhookCapture capture, long maxBodyBytes, AuditTrail audit) {
        this.capture = capture;
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/hooks/{webhookId}", this::capture);
    }

    private void capture(ServerRequest req, ServerResponse res) {
        byte[] body = CappedBody.read(req, maxBodyBytes, maxBodyBytes, limit -> RejectedRequest.of(Status.REQUEST_ENTITY_TOO_LARGE_413,
                "MESSAGE_TOO_LARGE", "the request body is larger than " + limit + " bytes"));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : req.headers()) {
            headers.merge(header.name(), header.values(), (a, b) -> a + ", " + b);
        }
        Map<String, String> query = new LinkedHashMap<>();
        req.query().names().forEach(name -> query.put(name, String.join(",", req.query().all(name))));
        String webhookId = req.path().pathParameters().get("webhookId");
        Optional<String> id = capture.capture(webhookId, new CapturedRequest(
                req.prologue().method().text(), headers, query, body.length == 0 ? null : new String(body, StandardCharsets.UTF_8),
                req.remotePeer().host(), req.headers().first(HeaderNames.USER_AGENT).orElse(null)));
        if (id.isPresent()) {
            // the sender is anonymous: the audit names the channel, and the address says where from
            audit.record("event.published", null, "webhook", req.remotePeer().host(), "/hooks/{webhookId}", "accepted",
                    capture.room(webhookId), "1 event(s) of type " + WebhookCapture.EVENT_TYPE);
            JsonBodies.send(res, Status.OK_200, JsonBodies.JSON.createObjectNode().put("id", id.get()).toString());
        } else {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "ROOM_NOT_FOUND", "Webhook not found");
        }
    }
}

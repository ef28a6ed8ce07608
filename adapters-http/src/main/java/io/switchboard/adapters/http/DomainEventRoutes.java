package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.port.in.DomainEvent;
import io.switchboard.application.port.in.DomainEventCommand;
import io.switchboard.application.port.in.DomainEventReceipt;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.PublishDomainEventsUseCase;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/domain-events}: one domain event envelope
 * {@code {eventType, aggregateType, aggregateId, payload, occurredAt, metadata}} or an array of them,
 * for the bridge rules to turn into room events. Other envelope fields (an event id, a version) are
 * ignored: applications post their envelopes as their bus carries them.
 */
final class DomainEventRoutes implements HttpService {
    private static final String PATH = "/api/v1/domain-events";

    private final PublishDomainEventsUseCase bridge;
    private final PublisherGate gate;
    private final AuditTrail audit;
    private final JsonInput input;
    private final RejectedPublishes rejections;

    DomainEventRoutes(PublishDomainEventsUseCase bridge, PublisherGate gate, AuditTrail audit, JsonInput input,
                      RejectedPublishes rejections) {
        this.bridge = bridge;
        this.gate = gate;
        this.audit = audit;
        this.input = input;
        this.rejections = rejections;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::post);
    }

    private void post(ServerRequest req, ServerResponse res) {
        try {
            String publisher = gate.publisher(req);
            JsonNode body = input.read(req, "a domain event envelope or an array of them");
            List<Problem> problems = new ArrayList<>();
            List<DomainEvent> events = new ArrayList<>();
            boolean batch = body instanceof ArrayNode;
            if (body instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    events.add(envelope(array.get(i), "[" + i + "]", problems));
                }
            } else if (body instanceof ObjectNode) {
                events.add(envelope(body, "", problems));
            } else {
                throw RejectedRequest.problems(List.of(new Problem("", "the body must be a domain event envelope or an array of them")));
            }
            DomainEventReceipt receipt;
            try {
                receipt = bridge.publish(new DomainEventCommand(events, batch, problems));
            } catch (InvalidInputException e) {
                throw RejectedRequest.problems(e.problems());
            }
            audit.record("event.published", null, publisher, req.remotePeer().host(), PATH,
                    receipt.published() == 0 ? "ignored" : "accepted",
                    receipt.ids().isEmpty() ? null : receipt.ids().keySet().iterator().next(),
                    events.size() + " domain event(s) of type " + events.stream().map(DomainEvent::eventType).distinct().limit(5)
                            .map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                            + ": " + receipt.published() + " event(s) published, " + receipt.ignored() + " ignored");
            ObjectNode answer = JsonBodies.JSON.createObjectNode();
            answer.put("published", receipt.published());
            answer.set("ids", JsonBodies.JSON.valueToTree(receipt.ids()));
            answer.put("ignored", receipt.ignored());
            JsonBodies.send(res, Status.ACCEPTED_202, answer.toString());
        } catch (RejectedRequest rejected) {
            rejections.rejected(req, rejected);
            rejected.answer(res);
        }
    }

    /** The envelope's fields as text; wrong JSON types are problems, absent fields are left for the bridge to judge. */
    private static DomainEvent envelope(JsonNode node, String at, List<Problem> problems) {
        if (!(node instanceof ObjectNode envelope)) {
            problems.add(new Problem(at, "each domain event must be a JSON object"));
            return DomainEvent.UNREADABLE;
        }
        String prefix = at.isEmpty() ? "" : at + ".";
        return new DomainEvent(text(envelope, "eventType", prefix, problems, false), text(envelope, "aggregateType", prefix, problems, false),
                text(envelope, "aggregateId", prefix, problems, true), text(envelope, "occurredAt", prefix, problems, false),
                json(envelope, "payload"), json(envelope, "metadata"));
    }

    /** A string field; with {@code numberAllowed}, a number too (aggregate ids are often numeric). */
    private static String text(ObjectNode envelope, String field, String at, List<Problem> problems, boolean numberAllowed) {
        JsonNode node = envelope.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (numberAllowed && node.isIntegralNumber()) {
            return node.asText();
        }
        problems.add(new Problem(at + field, numberAllowed ? "must be a string or a whole number" : "must be a string"));
        return null;
    }

    private static String json(ObjectNode envelope, String field) {
        JsonNode node = envelope.get(field);
        return node == null || node.isNull() ? null : node.toString();
    }
}

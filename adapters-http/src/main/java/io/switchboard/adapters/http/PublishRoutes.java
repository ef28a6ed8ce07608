package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.port.in.EventSubmission;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.PublishCommand;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.port.in.PublishReceipt;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/events}: one event object, or an array published atomically. Every problem in
 * the body is reported at once with 400; nothing is published then.
 */
final class PublishRoutes implements HttpService {
    private static final Set<String> FIELDS = Set.of("room", "rooms", "type", "data", "meta", "critical", "key", "idempotencyKey");

    private final PublishEventsUseCase publish;
    private final PublisherGate gate;
    private final AuditTrail audit;
    private final JsonInput input;
    private final RejectedPublishes rejections;

    PublishRoutes(PublishEventsUseCase publish, PublisherGate gate, AuditTrail audit, JsonInput input, RejectedPublishes rejections) {
        this.publish = publish;
        this.gate = gate;
        this.audit = audit;
        this.input = input;
        this.rejections = rejections;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/v1/events", this::publish);
    }

    private void publish(ServerRequest req, ServerResponse res) {
        try {
            String publisher = gate.publisher(req);
            JsonNode body = input.read(req, "an event object or an array of events");
            List<Problem> problems = new ArrayList<>();
            PublishCommand command = command(body, req.headers().first(HeaderNames.create("Idempotency-Key")).orElse(null), problems);
            if (command == null) {
                throw RejectedRequest.problems(problems);
            }
            PublishReceipt receipt;
            try {
                receipt = publish.publish(command);
            } catch (InvalidInputException e) {
                throw RejectedRequest.problems(e.problems());
            }
            audit.record("event.published", null, publisher, req.remotePeer().host(), "/api/v1/events", "accepted",
                    receipt.ids().getFirst().keySet().iterator().next(), published(command));
            receipt(res, receipt);
        } catch (RejectedRequest rejected) {
            rejections.rejected(req, rejected);
            rejected.answer(res);
        }
    }

    private static PublishCommand command(JsonNode body, String headerKey, List<Problem> problems) {
        if (body instanceof ArrayNode array) {
            List<EventSubmission> events = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element instanceof ObjectNode object) {
                    if (object.has("idempotencyKey")) {
                        problems.add(new Problem("[" + i + "].idempotencyKey",
                                "a batch's idempotency key goes in the Idempotency-Key header"));
                    }
                    events.add(submission(object, "[" + i + "].", problems));
                } else {
                    problems.add(new Problem("[" + i + "]", "each event must be a JSON object"));
                    events.add(new EventSubmission(null, null, null, null, null, false, null));
                }
            }
            return new PublishCommand(events, true, headerKey, null, problems);
        }
        if (body instanceof ObjectNode object) {
            EventSubmission event = submission(object, "", problems);
            String key = headerKey != null ? headerKey : text(object, "idempotencyKey", "", problems);
            return new PublishCommand(List.of(event), false, key, null, problems);
        }
        problems.add(new Problem("", "the body must be an event object or an array of event objects"));
        return null;
    }

    private static EventSubmission submission(ObjectNode event, String at, List<Problem> problems) {
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(at + name, "unknown field; expected one of " + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        }
        List<String> rooms = null;
        JsonNode roomsNode = event.get("rooms");
        if (roomsNode != null && !roomsNode.isNull()) {
            if (roomsNode.isArray()) {
                rooms = new ArrayList<>();
                for (int i = 0; i < roomsNode.size(); i++) {
                    JsonNode room = roomsNode.get(i);
                    if (room.isTextual()) {
                        rooms.add(room.textValue());
                    } else {
                        problems.add(new Problem(at + "rooms[" + i + "]", "must be a string"));
                    }
                }
            } else {
                problems.add(new Problem(at + "rooms", "must be an array of room names"));
            }
        }
        Map<String, String> meta = null;
        JsonNode metaNode = event.get("meta");
        if (metaNode != null && !metaNode.isNull()) {
            if (metaNode.isObject()) {
                meta = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> field : metaNode.properties()) {
                    if (field.getValue().isTextual()) {
                        meta.put(field.getKey(), field.getValue().textValue());
                    } else {
                        problems.add(new Problem(at + "meta." + field.getKey(), "meta values must be strings"));
                    }
                }
            } else {
                problems.add(new Problem(at + "meta", "must be an object of string fields"));
            }
        }
        boolean critical = false;
        JsonNode criticalNode = event.get("critical");
        if (criticalNode != null && !criticalNode.isNull()) {
            if (criticalNode.isBoolean()) {
                critical = criticalNode.booleanValue();
            } else {
                problems.add(new Problem(at + "critical", "must be true or false"));
            }
        }
        JsonNode data = event.get("data");
        return new EventSubmission(text(event, "room", at, problems), rooms, text(event, "type", at, problems),
                data == null ? null : data.toString(), meta, critical, text(event, "key", at, problems));
    }

    private static String text(ObjectNode event, String field, String at, List<Problem> problems) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(new Problem(at + field, "must be a string"));
            return null;
        }
        return node.textValue();
    }

    /** What was published, for the audit trail: count and types, never data. */
    private static String published(PublishCommand command) {
        return command.events().size() + " event(s) of type "
                + command.events().stream().map(EventSubmission::type).distinct().limit(5).collect(java.util.stream.Collectors.joining(", "));
    }

    private static void receipt(ServerResponse res, PublishReceipt receipt) {
        ObjectNode body = JsonBodies.JSON.createObjectNode();
        if (receipt.batch()) {
            ArrayNode ids = body.putArray("ids");
            receipt.ids().forEach(roomIds -> ids.add(JsonBodies.JSON.valueToTree(roomIds)));
        } else {
            body.set("ids", JsonBodies.JSON.valueToTree(receipt.ids().getFirst()));
        }
        JsonBodies.send(res, Status.ACCEPTED_202, body.toString());
    }
}

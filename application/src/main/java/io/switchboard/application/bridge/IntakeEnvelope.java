package io.switchboard.application.bridge;

import io.switchboard.application.json.JsonTree;
import io.switchboard.application.port.in.DomainEvent;
import io.switchboard.application.port.in.Problem;

import java.util.List;
import java.util.Map;

/**
 * Reads the data of an intake-room event as a domain event envelope
 * {@code {eventType, aggregateType, aggregateId, payload, occurredAt, metadata}}, as
 * {@code POST /api/v1/domain-events} reads its body: other fields are ignored, wrong JSON types are
 * problems, and absent fields are left for the bridge to judge.
 */
final class IntakeEnvelope {
    private IntakeEnvelope() {
    }

    static DomainEvent read(String data, List<Problem> problems) {
        Object tree;
        try {
            tree = JsonTree.parse(data);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem("data", e.getMessage()));
            return DomainEvent.UNREADABLE;
        }
        if (!(tree instanceof Map<?, ?> envelope)) {
            problems.add(new Problem("data", "an intake event's data must be a domain event envelope (a JSON object)"));
            return DomainEvent.UNREADABLE;
        }
        return new DomainEvent(text(envelope, "eventType", problems, false), text(envelope, "aggregateType", problems, false),
                text(envelope, "aggregateId", problems, true), text(envelope, "occurredAt", problems, false),
                json(envelope, "payload"), json(envelope, "metadata"));
    }

    /** A string field; with {@code numberAllowed}, a whole number too (aggregate ids are often numeric). */
    private static String text(Map<?, ?> envelope, String field, List<Problem> problems, boolean numberAllowed) {
        Object value = envelope.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (numberAllowed && value instanceof JsonTree.Number number && number.literal().matches("-?\\d+")) {
            return number.literal();
        }
        problems.add(new Problem(field, numberAllowed ? "must be a string or a whole number" : "must be a string"));
        return null;
    }

    private static String json(Map<?, ?> envelope, String field) {
        Object value = envelope.get(field);
        return value == null ? null : JsonTree.write(value);
    }
}

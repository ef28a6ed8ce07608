package io.switchboard.application.bridge;

import io.switchboard.application.json.JsonTree;
import io.switchboard.application.port.in.DomainEvent;

import java.util.Map;

/**
 * A valid domain event with its payload and metadata parsed, for templates to read from.
 *
 * @param payload  the payload object, or {@code null} when there is none
 * @param metadata the metadata object, or {@code null} when there is none
 */
record Envelope(DomainEvent event, Map<String, Object> payload, Map<String, Object> metadata) {

    /**
     * The text of a template placeholder, or {@code null} when the envelope has no such value: a
     * missing field, a JSON null, an object or an array.
     */
    String value(String name) {
        return switch (name) {
            case "eventType" -> event.eventType();
            case "aggregateType" -> event.aggregateType();
            case "aggregateId" -> event.aggregateId();
            case "occurredAt" -> event.occurredAt();
            default -> {
                int dot = name.indexOf('.');
                Map<String, Object> root = name.startsWith("payload.") ? payload : name.startsWith("metadata.") ? metadata : null;
                yield JsonTree.scalarText(path(root, name.substring(dot + 1)));
            }
        };
    }

    private static Object path(Map<String, Object> root, String path) {
        Object node = root;
        for (String step : path.split("\\.", -1)) {
            if (!(node instanceof Map<?, ?> object)) {
                return null;
            }
            node = object.get(step);
        }
        return node;
    }
}

package io.switchboard.application.bridge;

import io.switchboard.application.json.FieldEdits;
import io.switchboard.application.publish.PublishService;
import io.switchboard.domain.EventType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@code hub.bridge.rules}: which domain events it takes and the hub event it makes of
 * each — the room, the type, extra top-level fields, and the payload with fields dropped or shortened.
 *
 * @param eventTypes    domain event types the rule takes
 * @param aggregateType the aggregate type it takes, or {@code null} for any
 * @param meta          extra top-level string fields; one whose template has a missing value is left out
 * @param key           coalescing key template, or {@code null}
 * @param timestampFromOccurredAt the event's timestamp is the domain event's {@code occurredAt} (required then), not the
 *                      hub's time of publishing ({@code timestamp: occurredAt}; seed 001's bridge copies {@code occurred_at})
 */
public record BridgeRule(Set<String> eventTypes, String aggregateType, Template room, String type,
                         Map<String, Template> meta, FieldEdits edits, boolean critical, Template key, boolean timestampFromOccurredAt) {
    /** A rule whose events are stamped when published. */
    public BridgeRule(Set<String> eventTypes, String aggregateType, Template room, String type, Map<String, Template> meta,
                      FieldEdits edits, boolean critical, Template key) {
        this(eventTypes, aggregateType, room, type, meta, edits, critical, key, false);
    }

    public BridgeRule {
        eventTypes = Set.copyOf(eventTypes);
        if (eventTypes.isEmpty()) {
            throw new IllegalArgumentException("event-types must name at least one domain event type");
        }
        Objects.requireNonNull(room, "room");
        String typeProblem = EventType.problemWith(type);
        if (typeProblem != null) {
            throw new IllegalArgumentException("type: " + typeProblem);
        }
        for (String field : meta.keySet()) {
            if (PublishService.ENVELOPE_FIELDS.contains(field)) {
                throw new IllegalArgumentException("meta." + field + ": meta must not redefine the envelope field '" + field + "'");
            }
        }
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        edits = edits == null ? FieldEdits.NONE : edits;
    }

    boolean takes(Envelope envelope) {
        return eventTypes.contains(envelope.event().eventType())
                && (aggregateType == null || aggregateType.equals(envelope.event().aggregateType()));
    }
}

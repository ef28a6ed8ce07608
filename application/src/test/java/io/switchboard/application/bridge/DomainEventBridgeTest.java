package io.switchboard.application.bridge;

import io.switchboard.application.json.FieldEdits;
import io.switchboard.application.port.in.DomainEvent;
import io.switchboard.application.port.in.DomainEventCommand;
import io.switchboard.application.port.in.DomainEventReceipt;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.publish.PublishService;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import org.junit.jupiter.api.Test;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 001's WebSocketEventBridge as rules: routing by aggregate, transformation, and what is ignored. */
class DomainEventBridgeTest {
    private final List<EventDraft> stored = new ArrayList<>();
    private final HubMetrics metrics = new HubMetrics();
    private final EventBus bus = new EventBus() {
        @Override
        public List<Event> append(List<EventDraft> drafts) {
            List<Event> events = new ArrayList<>();
            for (EventDraft draft : drafts) {
                stored.add(draft);
                events.add(Event.from(draft, new EventId(stored.size()), Instant.EPOCH));
            }
            return events;
        }

        @Override
        public void subscribe(EventListener listener) {
        }
    };
    private final PublishService publish = PlainPublishing.onto(bus, metrics);

    /** Seed 001: Session events go to session:{aggregateId}, Cycle events to the payload's session_id. */
    private final DomainEventBridge bridge = new DomainEventBridge(List.of(
            rule(Set.of("session.created", "session.renamed"), "Session", "session:{aggregateId}", "session.metadata", FieldEdits.NONE),
            rule(Set.of("cycle.created", "cycle.branched"), "Cycle", "session:{payload.session_id}", "cycle.created", FieldEdits.NONE),
            rule(Set.of("message.sent"), null, "session:{payload.session_id}", "conversation.message",
                    new FieldEdits(Set.of("internalNotes"), Map.of("contentPreview", 100)))), publish, metrics);

    private static BridgeRule rule(Set<String> types, String aggregate, String room, String updateType, FieldEdits edits) {
        Map<String, Template> meta = new LinkedHashMap<>();
        meta.put("updateType", Template.parse(updateType));
        meta.put("correlationId", Template.parse("{metadata.correlationId}"));
        return new BridgeRule(types, aggregate, Template.parse(room), "dashboard.update", meta, edits, false, Template.parse("{aggregateId}"));
    }

    @Test
    void sessionEventIsPublishedToTheSessionRoomWithMetaAndPayload() {
        DomainEventReceipt receipt = bridge.publish(single(new DomainEvent("session.renamed", "Session", "s-1", "2026-01-01T00:00:00Z",
                "{\"title\":\"New\"}", "{\"correlationId\":\"c-1\"}")));
        assertEquals(1, receipt.published());
        assertEquals(0, receipt.ignored());
        assertEquals(Map.of("session:s-1", "1"), receipt.ids());
        EventDraft draft = stored.getFirst();
        assertEquals("session:s-1", draft.room().value());
        assertEquals("dashboard.update", draft.type());
        assertEquals("{\"title\":\"New\"}", draft.data());
        assertEquals(Map.of("updateType", "session.metadata", "correlationId", "c-1"), draft.meta());
        assertEquals("s-1", draft.key());
        assertEquals(Map.of("published", 1L, "unmatched", 0L, "unroutable", 0L, "rejected", 0L), metrics.bridged());
    }

    @Test
    void cycleEventIsRoutedByThePayloadsSessionIdAndAMissingCorrelationIdIsOmitted() {
        bridge.publish(single(new DomainEvent("cycle.created", "Cycle", "c-1", null, "{\"session_id\":\"s-2\",\"cycleId\":\"c-1\"}", null)));
        assertEquals("session:s-2", stored.getFirst().room().value());
        assertEquals(Map.of("updateType", "cycle.created"), stored.getFirst().meta());
    }

    @Test
    void payloadFieldsAreDroppedAndTruncatedAtDepth() {
        String content = "é".repeat(150);
        bridge.publish(single(new DomainEvent("message.sent", "Cycle", "c-1", null,
                "{\"session_id\":\"s-3\",\"internalNotes\":\"x\",\"message\":{\"contentPreview\":\"" + content + "\",\"internalNotes\":\"y\"}}", null)));
        assertEquals("{\"session_id\":\"s-3\",\"message\":{\"contentPreview\":\"" + "é".repeat(100) + "\"}}", stored.getFirst().data());
    }

    @Test
    void unmatchedAndUnroutableEventsAreIgnoredAndCounted() {
        DomainEventReceipt receipt = bridge.publish(new DomainEventCommand(List.of(
                new DomainEvent("user.logged_in", "User", "u-1", null, null, null),            // no rule
                new DomainEvent("session.created", "Cycle", "s-1", null, null, null),          // the rule wants Session
                new DomainEvent("cycle.created", "Cycle", "c-1", null, "{\"cycleId\":\"c-1\"}", null), // no session_id
                new DomainEvent("cycle.created", "Cycle", "c-1", null, "{\"session_id\":\"has space\"}", null), // not a room name
                new DomainEvent("session.created", "Session", "s-9", null, null, null)), true, List.of()));
        assertEquals(1, receipt.published());
        assertEquals(4, receipt.ignored());
        assertEquals(Map.of("session:s-9", "1"), receipt.ids());
        assertEquals("null", stored.getFirst().data());
        assertEquals(Map.of("published", 1L, "unmatched", 2L, "unroutable", 2L, "rejected", 0L), metrics.bridged());
    }

    @Test
    void nothingToPublishAnswersWithoutPublishing() {
        DomainEventReceipt receipt = bridge.publish(single(new DomainEvent("other", null, null, null, null, null)));
        assertEquals(new DomainEventReceipt(0, Map.of(), 1), receipt);
        assertTrue(stored.isEmpty());
    }

    @Test
    void malformedEnvelopesAreRefusedWithEveryProblemAndNothingIsPublished() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> bridge.publish(new DomainEventCommand(List.of(
                new DomainEvent("session.created", "Session", "s-1", null, null, null),
                new DomainEvent(null, "Session", "s-1", null, "[1,2]", "\"text\""),
                new DomainEvent(" ", null, null, null, "{}", null)), true, List.of(new Problem("[3]", "read problem")))));
        assertEquals(List.of(new Problem("[3]", "read problem"),
                new Problem("[1].eventType", "eventType is required"),
                new Problem("[1].payload", "payload must be a JSON object"),
                new Problem("[1].metadata", "metadata must be a JSON object"),
                new Problem("[2].eventType", "eventType is required")), e.problems());
        assertTrue(stored.isEmpty());
        assertEquals(1, metrics.invalid());
        assertEquals(0L, metrics.bridged().get("published"));
    }

    @Test
    void anEmptyArrayIsAProblem() {
        assertThrows(InvalidInputException.class, () -> bridge.publish(new DomainEventCommand(List.of(), true, List.of())));
    }

    /** A problem the publish use case finds is named after the envelope and rule it came from. */
    @Test
    void publishProblemsNameTheEnvelopeAndRule() {
        DomainEventBridge reserved = new DomainEventBridge(List.of(
                new BridgeRule(Set.of("x"), null, Template.parse("ok"), "t", Map.of(), FieldEdits.NONE, false, null),
                new BridgeRule(Set.of("x"), null, Template.parse("$audit"), "t", Map.of(), FieldEdits.NONE, false, null)), publish, metrics);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> reserved.publish(new DomainEventCommand(List.of(
                new DomainEvent("y", null, null, null, null, null), new DomainEvent("x", null, null, null, null, null)), true, List.of())));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertEquals("[1].rules[1].room", e.problems().getFirst().field());
        assertTrue(stored.isEmpty());
    }

    @Test
    void rulesRefuseBadTypesAndMetaRedefiningTheEnvelope() {
        assertThrows(IllegalArgumentException.class,
                () -> new BridgeRule(Set.of("x"), null, Template.parse("r"), "bad type!", Map.of(), null, false, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BridgeRule(Set.of("x"), null, Template.parse("r"), "t", Map.of("room", Template.parse("x")), null, false, null));
        assertTrue(e.getMessage().startsWith("meta.room"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BridgeRule(Set.of(), null, Template.parse("r"), "t", Map.of(), null, false, null));
        assertNull(new BridgeRule(Set.of("x"), null, Template.parse("r"), "t", Map.of(), null, false, null).key());
    }

    private static DomainEventCommand single(DomainEvent event) {
        return new DomainEventCommand(List.of(event), false, List.of());
    }
}

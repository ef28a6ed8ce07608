package io.switchboard.application.publish;

import io.switchboard.application.json.FieldEdits;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Redaction happens before the real bus sees a draft, for listed types only, and is counted. */
class RedactingBusTest {
    private final List<EventDraft> stored = new ArrayList<>();
    private final HubMetrics metrics = new HubMetrics();
    private final Redaction redaction = new Redaction(List.of(
            new Redaction.Rule(Set.of("query_complete"), new FieldEdits(Set.of("query", "sql"), Map.of())),
            new Redaction.Rule(Set.of("error"), new FieldEdits(Set.of("stackTrace"), Map.of())),
            new Redaction.Rule(Set.of("error", "query_complete"), new FieldEdits(Set.of(), Map.of("message", 5)))));
    private final RedactingBus bus = new RedactingBus(new EventBus() {
        @Override
        public List<Event> append(List<EventDraft> drafts) {
            stored.addAll(drafts);
            List<Event> events = new ArrayList<>();
            for (EventDraft draft : drafts) {
                events.add(Event.from(draft, new EventId(stored.size()), Instant.EPOCH));
            }
            return events;
        }

        @Override
        public void subscribe(EventListener listener) {
        }
    }, redaction, metrics);

    @Test
    void listedTypesAreRedactedByEveryRuleCoveringThemBeforeStoring() {
        EventDraft untouched = draft("ingestion_complete", "{\"query\":\"kept\"}");
        bus.append(List.of(
                draft("query_complete", "{\"rows\":2,\"query\":\"SELECT secret\",\"detail\":[{\"sql\":\"x\"}],\"message\":\"finished\"}"),
                draft("error", "{\"message\":\"boom\",\"context\":{\"stackTrace\":\"at x.y\"}}"),
                untouched));
        assertEquals("{\"rows\":2,\"detail\":[{}],\"message\":\"finis\"}", stored.get(0).data());
        assertEquals("{\"message\":\"boom\",\"context\":{}}", stored.get(1).data());
        assertSame(untouched, stored.get(2));
        assertEquals(2, metrics.redacted());
    }

    @Test
    void eventsWithNothingToRedactAreNotCounted() {
        bus.append(List.of(draft("error", "{\"message\":\"ok\"}")));
        assertEquals("{\"message\":\"ok\"}", stored.getFirst().data());
        assertEquals(0, metrics.redacted());
    }

    private static EventDraft draft(String type, String data) {
        return new EventDraft(new RoomName("dash"), type, data, Map.of("correlationId", "c"), false, null);
    }
}

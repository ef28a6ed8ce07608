package io.switchboard.application.bridge;

import io.switchboard.application.json.JsonTree;
import io.switchboard.application.port.in.DomainEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Room, meta and key templates over a domain event envelope. */
class TemplateTest {
    private static final DomainEvent EVENT = new DomainEvent("cycle.created", "Cycle", "c-7", "2026-01-01T00:00:00Z",
            "{\"session_id\":\"s-1\",\"progress\":{\"percent\":40,\"done\":true},\"tags\":[\"a\"],\"none\":null,\"empty\":\"\"}",
            "{\"correlationId\":\"corr-9\"}");
    private static final Envelope ENVELOPE = new Envelope(EVENT, object(EVENT.payload()), object(EVENT.metadata()));

    @Test
    void envelopeFieldsAndPathsAreFilledIn() {
        assertEquals("session:s-1", resolve("session:{payload.session_id}"));
        assertEquals("Cycle/c-7/cycle.created@2026-01-01T00:00:00Z", resolve("{aggregateType}/{aggregateId}/{eventType}@{occurredAt}"));
        assertEquals("40-true", resolve("{payload.progress.percent}-{payload.progress.done}"));
        assertEquals("corr-9", resolve("{metadata.correlationId}"));
        assertEquals("plain", resolve("plain"));
    }

    /** A missing value makes the whole template missing: the room is unroutable, the meta field omitted. */
    @Test
    void missingNullEmptyOrStructuredValuesAreMissing() {
        for (String template : new String[] {"x:{payload.nope}", "{payload.none}", "{payload.empty}", "{payload.tags}", "{payload.progress}",
                "{payload.session_id.deeper}", "{metadata.other}"}) {
            assertNull(resolve(template), template);
        }
        Envelope bare = new Envelope(new DomainEvent("t", null, null, null, null, null), null, null);
        assertNull(Template.parse("{aggregateId}").resolve(bare));
        assertNull(Template.parse("{payload.a}").resolve(bare));
        assertNull(Template.parse("{metadata.correlationId}").resolve(bare));
    }

    @ParameterizedTest
    @ValueSource(strings = {"session:{aggregateId", "session:aggregateId}", "{sessionId}", "{payload}", "{payload.}", "{payload..a}",
            "{metadata.a.}", "{}"})
    void badTemplatesAreRefusedWithTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Template.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private static String resolve(String template) {
        return Template.parse(template).resolve(ENVELOPE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return (Map<String, Object>) JsonTree.parse(json);
    }
}

package io.switchboard.bootstrap;

import io.switchboard.application.bridge.BridgeRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hub.bridge.rules} and {@code hub.redaction}: read as design section 4 writes them; every mistake stops the start naming its key. */
class BridgeConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDesignsExampleIsRead() throws IOException {
        Settings settings = load("""
                hub:
                  bridge:
                    rules:
                      - event-types: [session.created, session.renamed]
                        aggregate-type: Session
                        room: "session:{aggregateId}"
                        type: dashboard.update
                        meta:
                          updateType: session.metadata
                          correlationId: "{metadata.correlationId}"
                        truncate: { contentPreview: 100 }
                        drop: [ internalNotes ]
                        critical: false
                        key: "{aggregateId}"
                      - event-types: cycle.created, cycle.branched
                        room: "session:{payload.session_id}"
                        type: dashboard.update
                        critical: true
                  redaction:
                    - types: [query_complete]
                      drop: [query, sql]
                    - types: [dashboard.update]
                      truncate: { contentPreview: 100 }
                """);
        List<BridgeRule> rules = settings.bridge().rules();
        assertEquals(2, rules.size());
        BridgeRule first = rules.getFirst();
        assertEquals(Set.of("session.created", "session.renamed"), first.eventTypes());
        assertEquals("Session", first.aggregateType());
        assertEquals("session:{aggregateId}", first.room().toString());
        assertEquals(Set.of("updateType", "correlationId"), first.meta().keySet());
        assertEquals(Map.of("contentPreview", 100), first.edits().truncate());
        assertEquals(Set.of("internalNotes"), first.edits().drop());
        assertFalse(first.critical());
        assertEquals("{aggregateId}", first.key().toString());
        assertEquals(Set.of("cycle.created", "cycle.branched"), rules.get(1).eventTypes());
        assertTrue(rules.get(1).critical());
        assertEquals(2, settings.bridge().redaction().rules().size());
        assertEquals(Set.of("query", "sql"), settings.bridge().redaction().rules().getFirst().edits().drop());
    }

    @Test
    void nothingConfiguredMeansNoRulesAndNoRedaction() throws IOException {
        Settings settings = load("hub: { stats-interval: 5s }\n");
        assertTrue(settings.bridge().rules().isEmpty());
        assertTrue(settings.bridge().redaction().none());
    }

    @Test
    void ruleWithoutRoomOrTypeOrEventTypesNamesEachKey() {
        assertFails("""
                hub:
                  bridge:
                    rules:
                      - event-types: [a]
                        type: t
                      - event-types: [a]
                        room: r
                      - room: r
                        type: t
                """, "hub.bridge.rules.0.room: required", "hub.bridge.rules.1.type: required", "hub.bridge.rules.2.event-types: required");
    }

    @Test
    void badTruncateNumberNamesTheField() {
        assertFails("""
                hub:
                  bridge:
                    rules:
                      - { event-types: [a], room: r, type: t, truncate: { contentPreview: lots } }
                  redaction:
                    - { types: [b], truncate: { message: -1 } }
                """, "hub.bridge.rules.0.truncate.contentPreview: 'lots'", "hub.redaction.0.truncate.message: '-1'");
    }

    @Test
    void unknownRuleKeyIsNamed() {
        assertFails("""
                hub:
                  bridge:
                    rules:
                      - { event-types: [a], room: r, type: t, rooom: x }
                  redaction:
                    - { types: [b], drop: [c], room: x }
                """, "hub.bridge.rules.0.rooom: unknown config key", "hub.redaction.0.room: unknown config key");
    }

    @Test
    void badTemplatesTypesAndMetaAreNamed() {
        assertFails("""
                hub:
                  bridge:
                    rules:
                      - { event-types: [a], room: "session:{sessionId}", type: t }
                      - { event-types: [a], room: r, type: "bad type", critical: maybe }
                      - { event-types: [a], room: r, type: t, meta: { room: x } }
                      - { event-types: [a], room: r, type: t, meta: { x: "{payload." } }
                """, "hub.bridge.rules.0.room: 'session:{sessionId}' names {sessionId}", "hub.bridge.rules.1.type",
                "hub.bridge.rules.1.critical: 'maybe'", "hub.bridge.rules.2.meta.room", "hub.bridge.rules.3.meta.x");
    }

    @Test
    void redactionEntryNeedsTypesAndSomethingToDo() {
        assertFails("""
                hub:
                  redaction:
                    - drop: [query]
                    - types: [error]
                """, "hub.redaction.0.types: required", "hub.redaction.1: redacts nothing");
    }

    @Test
    void rulesMustBeAList() {
        assertFails("""
                hub:
                  bridge:
                    rules: { room: r }
                """, "hub.bridge.rules.room: unknown config key");
        assertFails("""
                hub:
                  bridge:
                    other: 1
                """, "hub.bridge.other: unknown config key");
    }

    @Test
    void aRuleTimestampIsPublishedOrOccurredAt() throws IOException {
        String rule = "hub:\n  bridge:\n    rules:\n      - event-types: [ a.b ]\n        room: \"r:{aggregateId}\"\n        type: x.y\n";
        assertTrue(load(rule + "        timestamp: occurredAt\n").bridge().rules().getFirst().timestampFromOccurredAt());
        assertFalse(load(rule + "        timestamp: published\n").bridge().rules().getFirst().timestampFromOccurredAt());
        assertFalse(load(rule).bridge().rules().getFirst().timestampFromOccurredAt());
        assertFails(rule + "        timestamp: whenever\n", "hub.bridge.rules.0.timestamp", "'whenever' is not one of published, occurredAt");
    }

    private Settings load(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
        return Settings.load(CommandLine.parse("--config", file.toString()), Map.of());
    }

    private void assertFails(String yaml, String... mentioned) {
        StartupException e = assertThrows(StartupException.class, () -> load(yaml));
        for (String text : mentioned) {
            assertTrue(e.getMessage().contains(text), "message should mention '" + text + "': " + e.getMessage());
        }
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.adapters.eventbus.EventStorage;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's bus intake on H2, end to end: domain event envelopes published as events into the
 * intake room {@code $domain-events} reach clients as the bridge rules make them, once each, also
 * across a restart; clients cannot join the intake room and only publishers can publish to it.
 */
class DomainEventIntakeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "intake-test-key-0123456789";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);
    /** The bridge rule of these tests, as the {@code bridge:} entry under {@code hub:} (also used by the PostgreSQL intake test). */
    static final String BRIDGE = """
              bridge:
                rules:
                  - event-types: [session.renamed]
                    aggregate-type: Session
                    room: "session:{aggregateId}"
                    type: dashboard.update
                    meta:
                      updateType: session.metadata
                      correlationId: "{metadata.correlationId}"
            """;
    static final String RULES = """
            hub:
              publish:
                api-keys: [ "%s" ]
            """ + BRIDGE;

    @TempDir
    Path data;
    private TestHub hub;

    @BeforeEach
    void start() {
        hub = TestHub.startDurableWithYaml(data, RULES.formatted(KEY), Map.of());
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static String envelope(String sessionId, String title) {
        return """
                {"eventType":"session.renamed","aggregateType":"Session","aggregateId":"%s","occurredAt":"2026-01-01T00:00:00Z",
                 "payload":{"title":"%s"},"metadata":{"correlationId":"corr-%s"}}""".formatted(sessionId, title, title);
    }

    private HttpResponse<String> intake(String data) {
        return hub.post("/api/v1/events", "{\"room\":\"$domain-events\",\"type\":\"domain.event\",\"data\":" + data + "}", AUTH);
    }

    @Test
    void anEnvelopePublishedToTheIntakeRoomReachesTheSessionRoomAsADashboardUpdate() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("session:s-1");
            client.nextOfType("joined", WAIT);
            HttpResponse<String> response = intake(envelope("s-1", "Plan"));
            assertEquals(202, response.statusCode(), response.body());
            JsonNode update = client.nextEvents(1, WAIT).getFirst();
            assertEquals("dashboard.update", update.path("type").asText(), update.toString());
            assertEquals("session:s-1", update.path("room").asText());
            assertEquals("session.metadata", update.path("updateType").asText(), update.toString());
            assertEquals("corr-Plan", update.path("correlationId").asText(), update.toString());
            assertEquals("Plan", update.path("data").path("title").asText(), update.toString());
        }
    }

    @Test
    void clientsCannotJoinTheIntakeRoomAndOnlyPublishersPublishToIt() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("$domain-events");
            JsonNode error = client.nextOfType("error", WAIT);
            assertEquals("FORBIDDEN", error.path("data").path("code").asText(), error.toString());
        }
        HttpResponse<String> anonymous = hub.post("/api/v1/events",
                "{\"room\":\"$domain-events\",\"type\":\"domain.event\",\"data\":" + envelope("s-1", "x") + "}", Map.of());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> otherHubRoom = hub.post("/api/v1/events", "{\"room\":\"$commands\",\"type\":\"t\",\"data\":{}}", AUTH);
        assertEquals(400, otherHubRoom.statusCode(), otherHubRoom.body());
        assertTrue(otherHubRoom.body().contains("reserved"), otherHubRoom.body());
        HttpResponse<String> viaDomainEvents = hub.post("/api/v1/domain-events", "{\"eventType\":\"x\"}", Map.of());
        assertEquals(401, viaDomainEvents.statusCode());
    }

    /** A malformed envelope is counted as rejected and skipped; unmatched ones are counted; the next one is bridged. */
    @Test
    void malformedAndUnmatchedEnvelopesAreCountedAndTheNextIsBridged() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("session:s-2");
            client.nextOfType("joined", WAIT);
            assertEquals(202, intake("[1,2,3]").statusCode());
            assertEquals(202, intake("{\"eventType\":\"session.renamed\",\"payload\":\"not an object\"}").statusCode());
            assertEquals(202, intake("{\"eventType\":\"unknown.thing\"}").statusCode());
            assertEquals(202, intake("{\"eventType\":\"session.renamed\",\"aggregateType\":\"Session\"}").statusCode());
            assertEquals(202, intake(envelope("s-2", "after")).statusCode());
            JsonNode update = client.nextEvents(1, WAIT).getFirst();
            assertEquals("after", update.path("data").path("title").asText(), update.toString());
        }
        // counted once the bridging transaction returns, which may be just after the client got the event
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode bridge = JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body()).path("events").path("bridge");
        while (bridge.path("published").asLong() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            bridge = JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body()).path("events").path("bridge");
        }
        assertEquals(2, bridge.path("rejected").asLong(), bridge.toString());
        assertEquals(1, bridge.path("unmatched").asLong(), bridge.toString());
        assertEquals(1, bridge.path("unroutable").asLong(), bridge.toString());
        assertEquals(1, bridge.path("published").asLong(), bridge.toString());
        assertTrue(hub.get("/metrics").body().contains("switchboard_bridge_events_total{outcome=\"rejected\"} 2"));
    }

    /** Intake events stored while the hub was down are bridged when it starts, after the last one bridged before. */
    @Test
    void aRestartedHubBridgesWhatArrivedMeanwhileAndNothingTwice() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("session:s-3");
            client.nextOfType("joined", WAIT);
            assertEquals(202, intake(envelope("s-3", "before")).statusCode());
            client.nextEvents(1, WAIT);
        }
        hub.close();
        hub = null;
        try (EventStorage storage = EventStorage.h2(data, HistoryRetention.defaults(), Clock.systemUTC())) {
            for (String title : List.of("while-down-1", "while-down-2")) {
                storage.bus().append(List.of(new EventDraft(new RoomName("$domain-events"), "domain.event", envelope("s-3", title)
                        .replace("\n", ""), Map.of(), false, null)));
            }
        }
        hub = TestHub.startDurableWithYaml(data, RULES.formatted(KEY), Map.of());
        try (JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            client.join("session:s-3", "0");
            client.nextOfType("joined", WAIT);
            List<String> titles = client.nextEvents(3, WAIT).stream().map(e -> e.path("data").path("title").asText()).toList();
            assertEquals(List.of("before", "while-down-1", "while-down-2"), titles);
            assertEquals(202, intake(envelope("s-3", "after")).statusCode());
            assertEquals("after", client.nextEvents(1, WAIT).getFirst().path("data").path("title").asText());
        }
    }
}

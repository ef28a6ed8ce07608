package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSE endpoint: framing, multi-room resume from one Last-Event-ID, heartbeats, errors, shutdown. */
class SseTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void streamCarriesEventsWithIdsAndTypesAfterARetryHint() throws Exception {
        try (TestHub hub = TestHub.start(); SseClient sse = SseClient.open(sseUri(hub, "demo:1", ""), Map.of())) {
            assertEquals(200, sse.status());
            assertEquals("text/event-stream; charset=utf-8", sse.response().headers().firstValue("Content-Type").orElse(""));
            assertEquals("3000", sse.next(WAIT).retry());
            assertEquals("connected", sse.next(WAIT).event());
            sse.nextOfType("joined", WAIT);
            publish(hub, "demo:1", 1, 2, 3);
            List<SseClient.Block> events = sse.nextEvents(3, WAIT);
            for (int i = 0; i < 3; i++) {
                SseClient.Block block = events.get(i);
                assertEquals("tick", block.event());
                assertEquals(block.json().path("id").asText(), block.id(), "a one-room stream's id is the event id");
                assertEquals(i + 1, block.json().path("data").asInt());
            }
        }
    }

    @Test
    void oneLastEventIdResumesEveryRoomOfTheStream() throws Exception {
        try (TestHub hub = TestHub.start()) {
            String resumeFrom;
            try (SseClient first = SseClient.open(sseUri(hub, "demo:a,demo:b", ""), Map.of())) {
                first.nextOfType("joined", WAIT);
                first.nextOfType("joined", WAIT);
                publish(hub, "demo:a", 1);
                resumeFrom = first.nextEvents(1, WAIT).getFirst().id();
            }
            assertTrue(resumeFrom.contains("demo:a:") && resumeFrom.contains("demo:b:"), resumeFrom);
            publish(hub, "demo:a", 2, 3);
            publish(hub, "demo:b", 10);
            try (SseClient second = SseClient.open(sseUri(hub, "demo:a,demo:b", ""), Map.of("Last-Event-ID", resumeFrom))) {
                List<SseClient.Block> missed = second.nextEvents(3, WAIT);
                List<String> seen = missed.stream().map(b -> b.json().path("room").asText() + "=" + b.json().path("data").asInt()).toList();
                assertTrue(seen.containsAll(List.of("demo:a=2", "demo:a=3", "demo:b=10")), seen.toString());
                assertEquals(3, seen.size());
                assertTrue(seen.indexOf("demo:a=2") < seen.indexOf("demo:a=3"), "order within a room: " + seen);
            }
        }
    }

    @Test
    void lastEventIdQueryParameterResumesLikeTheHeader() throws Exception {
        try (TestHub hub = TestHub.start()) {
            String since = idOf(publish(hub, "demo:q", 1));
            publish(hub, "demo:q", 2);
            try (SseClient sse = SseClient.open(sseUri(hub, "demo:q", "&lastEventId=" + since), Map.of())) {
                JsonNode joined = sse.nextOfType("joined", WAIT).json();
                assertTrue(joined.path("data").path("recovered").asBoolean(), joined.toString());
                assertEquals(2, sse.nextEvents(1, WAIT).getFirst().json().path("data").asInt());
            }
        }
    }

    @Test
    void aGapOlderThanHistoryIsReportedAsAJoinedEvent() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.history.max-events", "2"))) {
            String first = idOf(publish(hub, "demo:t", 1));
            publish(hub, "demo:t", 2, 3, 4);
            try (SseClient sse = SseClient.open(sseUri(hub, "demo:t", ""), Map.of("Last-Event-ID", first))) {
                JsonNode joined = sse.nextOfType("joined", WAIT).json().path("data");
                assertEquals(false, joined.path("recovered").asBoolean(true));
                assertEquals("history_trimmed", joined.path("reason").asText());
            }
        }
    }

    @Test
    void quietStreamsGetHeartbeatCommentsAndDeadClientsAreRemoved() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.sse.heartbeat", "200ms"))) {
            SseClient sse = SseClient.open(sseUri(hub, "demo:h", ""), Map.of());
            SseClient.Block block;
            do {
                block = sse.next(WAIT);
            } while (block.comments().isEmpty());
            assertEquals(List.of("heartbeat"), block.comments());
            assertEquals(1, sseConnections(hub));
            sse.close();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sseConnections(hub) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, sseConnections(hub), "a client that went away is removed within a heartbeat or two");
        }
    }

    @Test
    void badRequestsGetAJsonAnswer() throws Exception {
        try (TestHub hub = TestHub.start()) {
            for (String query : List.of("", "?rooms=", "?rooms=bad%20room", "?rooms=demo:1&lastEventId=abc")) {
                try (SseClient sse = SseClient.open(hub.http("/sse" + query), Map.of())) {
                    assertEquals(400, sse.status(), query);
                }
                var response = hub.get("/sse" + query);
                JsonNode body = JsonWebSocket.json().readTree(response.body());
                assertEquals("MESSAGE_INVALID", body.path("code").asText(), query);
                assertTrue(body.path("message").asText().length() > 10, body.toString());
            }
        }
    }

    @Test
    void shutdownSendsDisconnectWithARetryHint() throws Exception {
        TestHub hub = TestHub.start();
        try (SseClient sse = SseClient.open(sseUri(hub, "demo:s", ""), Map.of())) {
            sse.nextOfType("joined", WAIT);
            Thread stopper = Thread.ofVirtual().start(hub::close);
            SseClient.Block disconnect = sse.nextOfType("disconnect", WAIT);
            assertNotNull(disconnect.retry(), "disconnect carries retry:");
            assertEquals(disconnect.json().path("data").path("retryAfterMs").asText(), disconnect.retry());
            assertTrue(disconnect.json().path("data").path("reconnect").asBoolean());
            stopper.join(Duration.ofSeconds(15));
        } finally {
            hub.close();
        }
    }

    @Test
    void lineBreaksInjectedIntoEventsCannotBreakTheFraming() throws Exception {
        try (TestHub hub = TestHub.start(); SseClient sse = SseClient.open(sseUri(hub, "demo:crlf", ""), Map.of())) {
            sse.nextOfType("joined", WAIT);
            var badType = hub.publish("{\"room\":\"demo:crlf\",\"type\":\"tick\\r\\nevent: evil\",\"data\":1}");
            assertEquals(400, badType.statusCode(), "a type with CR/LF is refused: " + badType.body());
            String sneaky = "line one\r\n\r\nid: 999\nevent: evil\ndata: {}\r\n";
            var response = hub.publish("{\"room\":\"demo:crlf\",\"type\":\"tick\",\"data\":{\"text\":"
                    + JsonWebSocket.json().writeValueAsString(sneaky) + "}}");
            assertEquals(202, response.statusCode(), response.body());
            publish(hub, "demo:crlf", 2);
            List<SseClient.Block> events = sse.nextEvents(2, WAIT);
            assertEquals("tick", events.get(0).event());
            assertEquals(sneaky, events.get(0).json().path("data").path("text").asText(), "the text arrives intact, inside one block");
            assertEquals(2, events.get(1).json().path("data").asInt(), "the next block is the next event, nothing injected between");
        }
    }

    /** Many SSE clients on one room: each gets the whole burst, in order (SPEC 6 over SSE). */
    @Test
    void aThousandStreamsOnOneRoomEachGetTheWholeBurstInOrder() throws Exception {
        int clients = 1000;
        int events = 50;
        try (TestHub hub = TestHub.start()) {
            List<SseClient> streams = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    streams.add(SseClient.open(sseUri(hub, "demo:many", ""), Map.of()));
                }
                for (SseClient sse : streams) {
                    sse.nextOfType("joined", Duration.ofSeconds(30));
                }
                int[] values = new int[events];
                for (int i = 0; i < events; i++) {
                    values[i] = i + 1;
                }
                publish(hub, "demo:many", values);
                for (SseClient sse : streams) {
                    List<SseClient.Block> got = sse.nextEvents(events, Duration.ofSeconds(30));
                    for (int i = 0; i < events; i++) {
                        assertEquals(i + 1, got.get(i).json().path("data").asInt(), "complete and in order");
                    }
                }
            } finally {
                streams.forEach(SseClient::close);
            }
        }
    }

    /** Seed 003's stream: the path names the proposal, the endpoint maps it onto its room. */
    @Test
    void aConfiguredEndpointStreamsTheRoomItsPathNamesAndResumes() throws Exception {
        String yaml = """
                hub:
                  endpoints:
                    - path: /api/v1/proposals/{id}/events
                      transport: sse
                      rooms: [ "proposal:{id}" ]
                """;
        try (TestHub hub = TestHub.startWithYaml(yaml, Map.of())) {
            String resumeFrom;
            try (SseClient sse = SseClient.open(hub.http("/api/v1/proposals/42/events"), Map.of())) {
                assertEquals(200, sse.status());
                assertEquals("proposal:42", sse.nextOfType("joined", WAIT).json().path("data").path("room").asText());
                publish(hub, "proposal:42", 1);
                publish(hub, "proposal:7", 99);
                SseClient.Block first = sse.nextEvents(1, WAIT).getFirst();
                assertEquals(1, first.json().path("data").asInt());
                resumeFrom = first.id();
            }
            publish(hub, "proposal:42", 2);
            try (SseClient sse = SseClient.open(hub.http("/api/v1/proposals/42/events"), Map.of("Last-Event-ID", resumeFrom))) {
                assertEquals(2, sse.nextEvents(1, WAIT).getFirst().json().path("data").asInt(), "only its own room, from where it was");
            }
            assertEquals(400, hub.get("/api/v1/proposals/bad%20id/events").statusCode(), "a path that makes no room name");
        }
        StartupException wrong = org.junit.jupiter.api.Assertions.assertThrows(StartupException.class, () -> TestHub.startWithYaml(
                "hub:\n  endpoints:\n    - path: /p/{id}\n      transport: sse\n      rooms: [ \"proposal:{other}\" ]\n", Map.of()));
        assertTrue(wrong.getMessage().contains("hub.endpoints.0") && wrong.getMessage().contains("{other}"), wrong.getMessage());
    }

    private static URI sseUri(TestHub hub, String rooms, String extra) {
        return hub.http("/sse?rooms=" + rooms + extra);
    }

    private static JsonNode publish(TestHub hub, String room, int... values) throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"room\":\"").append(room).append("\",\"type\":\"tick\",\"data\":")
                    .append(values[i]).append('}');
        }
        var response = hub.publish(batch.append(']').toString());
        assertEquals(202, response.statusCode(), response.body());
        return JsonWebSocket.json().readTree(response.body());
    }

    private static String idOf(JsonNode receipt) {
        JsonNode first = receipt.path("ids").get(0);
        return first.elements().next().asText();
    }

    private static long sseConnections(TestHub hub) throws Exception {
        return JsonWebSocket.json().readTree(hub.get("/api/v1/stats").body()).path("connections").path("sse").asLong();
    }
}

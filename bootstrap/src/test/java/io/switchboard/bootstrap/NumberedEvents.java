package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room events whose {@code data.seq} is a number the test chose, so that order, gaps and
 * duplicates can be checked the way a client sees them: by what arrives.
 */
final class NumberedEvents {
    static final String TYPE = "tick";

    private NumberedEvents() {
    }

    /** Publishes events {@code from..to} (inclusive) to {@code room} as one atomic batch; returns their ids in order. */
    static List<String> publish(TestHub hub, String room, int from, int to) {
        return publish(hub, room, from, to, 0);
    }

    /** As {@link #publish(TestHub, String, int, int)}, with {@code padChars} of filler in each event's data. */
    static List<String> publish(TestHub hub, String room, int from, int to, int padChars) {
        HttpResponse<String> response = hub.publish(batch(room, from, to, padChars));
        assertEquals(202, response.statusCode(), response.body());
        JsonNode ids = parse(response.body()).path("ids");
        List<String> result = new ArrayList<>(to - from + 1);
        for (JsonNode perEvent : ids) {
            result.add(perEvent.path(room).asText());
        }
        assertEquals(to - from + 1, result.size(), response.body());
        return result;
    }

    private static String batch(String room, int from, int to, int padChars) {
        String pad = "x".repeat(padChars);
        ArrayNode events = JsonWebSocket.json().createArrayNode();
        for (int seq = from; seq <= to; seq++) {
            var event = events.addObject().put("room", room).put("type", TYPE);
            var data = event.putObject("data").put("seq", seq);
            if (padChars > 0) {
                data.put("pad", pad);
            }
        }
        return events.toString();
    }

    static int seq(JsonNode event) {
        JsonNode seq = event.path("data").path("seq");
        assertTrue(seq.isInt(), "not a numbered event: " + event);
        return seq.intValue();
    }

    static long id(JsonNode event) {
        return Long.parseLong(event.path("id").asText());
    }

    /** Room events among {@code messages}, in arrival order. */
    static List<JsonNode> roomEvents(List<JsonNode> messages) {
        return messages.stream().filter(m -> m.has("room")).toList();
    }

    /**
     * Asserts that {@code events} are exactly {@code firstSeq..lastSeq} of {@code room}: no gap, no
     * duplicate, nothing extra, in publish order, with strictly increasing ids.
     */
    static void assertExactly(List<JsonNode> events, String room, int firstSeq, int lastSeq) {
        assertEquals(lastSeq - firstSeq + 1, events.size(),
                "expected events " + firstSeq + ".." + lastSeq + " but got " + describe(events));
        long previousId = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertEquals(room, event.path("room").asText(), event.toString());
            assertEquals(TYPE, event.path("type").asText(), event.toString());
            assertEquals(firstSeq + i, seq(event), "gap or duplicate at position " + i + " of " + describe(events));
            long id = id(event);
            assertTrue(id > previousId, "id " + id + " does not increase after " + previousId + " at seq " + seq(event));
            previousId = id;
        }
    }

    /** Sequence numbers, compact enough for an assertion message. */
    static String describe(List<JsonNode> events) {
        List<Integer> seqs = events.stream().map(e -> e.path("data").path("seq").asInt(-1)).toList();
        return seqs.size() <= 40 ? "seqs " + seqs
                : seqs.size() + " events, seqs " + seqs.subList(0, 20) + " ... " + seqs.subList(seqs.size() - 20, seqs.size());
    }

    static JsonNode parse(String json) {
        try {
            return JsonWebSocket.json().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

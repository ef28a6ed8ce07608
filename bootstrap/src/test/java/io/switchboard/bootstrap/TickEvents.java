package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.JsonWebSocket;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Numbered {@code tick} events for the storage tests: publish bodies, accepted ids, and what a client saw. */
final class TickEvents {
    private TickEvents() {
    }

    static String tick(String room, int n) {
        return "{\"room\":\"" + room + "\",\"type\":\"tick\",\"data\":{\"n\":" + n + "}}";
    }

    static String acceptedId(HttpResponse<String> response, String room) throws Exception {
        assertEquals(202, response.statusCode(), response.body());
        return JsonWebSocket.json().readTree(response.body()).path("ids").path(room).asText();
    }

    /** {@code "<id> n=<n>"} of a received event. */
    static String describe(JsonNode event) {
        return event.path("id").asText() + " n=" + event.path("data").path("n").asInt();
    }

    /** What {@link #describe} gives for ticks {@code from..to} (inclusive), published with {@code ids}. */
    static List<String> ticks(List<String> ids, int from, int to) {
        List<String> described = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            described.add(ids.get(n - 1) + " n=" + n);
        }
        return described;
    }
}

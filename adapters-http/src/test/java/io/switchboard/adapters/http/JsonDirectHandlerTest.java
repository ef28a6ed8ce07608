package io.switchboard.adapters.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server's own error answers are JSON, and a 5xx never carries an exception's text (SPEC 15). */
class JsonDirectHandlerTest {
    private final JsonDirectHandler handler = new JsonDirectHandler();

    @Test
    void aFiveHundredSaysNothingOfTheException() {
        assertEquals("{\"code\":\"INTERNAL\",\"message\":\"the hub failed to answer this request\"}",
                body(Status.INTERNAL_SERVER_ERROR_500, "Cannot invoke \"Object.toString()\" because \"x\" is null"));
        assertEquals("{\"code\":\"UNAVAILABLE\",\"message\":\"Service Unavailable\"}",
                body(Status.SERVICE_UNAVAILABLE_503, "java.util.concurrent.RejectedExecutionException: pool"));
    }

    @Test
    void aClientErrorKeepsItsMessageAndARefusalIsSentAsBuilt() {
        assertEquals("{\"code\":\"MESSAGE_INVALID\",\"message\":\"Header size exceeded\"}", body(Status.BAD_REQUEST_400, "Header size exceeded"));
        assertEquals("{\"code\":\"MESSAGE_TOO_LARGE\",\"message\":\"Request Entity Too Large\"}", body(Status.REQUEST_ENTITY_TOO_LARGE_413, null));
        assertEquals("{\"code\":\"FORBIDDEN\",\"message\":\"origin\"}", body(Status.FORBIDDEN_403, "{\"code\":\"FORBIDDEN\",\"message\":\"origin\"}"));
    }

    private String body(Status status, String message) {
        DirectHandler.TransportResponse response = handler.handle(DirectHandler.TransportRequest.empty(), DirectHandler.EventType.OTHER,
                status, ServerResponseHeaders.create(), message);
        return new String(response.entity().orElseThrow(), StandardCharsets.UTF_8);
    }
}

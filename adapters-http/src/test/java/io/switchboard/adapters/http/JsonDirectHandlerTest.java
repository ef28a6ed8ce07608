package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server's own error answers (bad requests, refused upgrades, oversized bodies) have the body every endpoint uses. */
class JsonDirectHandlerTest {
    private final JsonDirectHandler handler = new JsonDirectHandler();

    @ParameterizedTest
    @CsvSource({
            "400, MESSAGE_INVALID",
            "401, AUTH_INVALID",
            "403, FORBIDDEN",
            "404, NOT_FOUND",
            "413, MESSAGE_TOO_LARGE",
            "405, HTTP_405"})
    void aClientErrorIsAnsweredWithItsCodeAndTheServersMessage(int status, String code) throws Exception {
        DirectHandler.TransportResponse response = handle(Status.create(status), "what went wrong");

        assertEquals(status, response.status().code());
        assertEquals("application/json", response.headers().get(HeaderNames.CONTENT_TYPE).get());
        JsonNode body = body(response);
        assertEquals(code, body.path("code").asText(), body.toString());
        assertEquals("what went wrong", body.path("message").asText(), body.toString());
    }

    /** A server error's message may be an internal exception's text: the client is told only what failed. */
    @ParameterizedTest
    @CsvSource({
            "500, INTERNAL, the hub failed to answer this request",
            "505, INTERNAL, HTTP Version Not Supported",
            "503, UNAVAILABLE, Service Unavailable"})
    void aServerErrorSaysNothingOfTheException(int status, String code, String message) throws Exception {
        JsonNode body = body(handle(Status.create(status), "Cannot invoke \"Object.toString()\" because \"x\" is null"));

        assertEquals(code, body.path("code").asText(), body.toString());
        assertEquals(message, body.path("message").asText(), body.toString());
    }

    @Test
    void withoutAMessageTheStatusReasonIsTheMessage() throws Exception {
        JsonNode body = body(handle(Status.REQUEST_ENTITY_TOO_LARGE_413, " "));

        assertEquals("MESSAGE_TOO_LARGE", body.path("code").asText());
        assertEquals(Status.REQUEST_ENTITY_TOO_LARGE_413.reasonPhrase(), body.path("message").asText());
        assertEquals(Status.BAD_REQUEST_400.reasonPhrase(), body(handle(Status.BAD_REQUEST_400, null)).path("message").asText());
    }

    @Test
    void anAdaptersJsonRefusalIsSentAsItIs() {
        String refusal = "{\"code\":\"RATE_LIMITED\",\"message\":\"too many connection attempts\",\"retryAfterMs\":1000}";

        DirectHandler.TransportResponse response = handle(Status.TOO_MANY_REQUESTS_429, refusal);

        assertEquals(429, response.status().code());
        assertEquals(refusal, new String(response.entity().orElseThrow(), StandardCharsets.UTF_8));
    }

    private DirectHandler.TransportResponse handle(Status status, String message) {
        return handler.handle(DirectHandler.TransportRequest.empty(), DirectHandler.EventType.BAD_REQUEST, status,
                ServerResponseHeaders.create(), message);
    }

    private static JsonNode body(DirectHandler.TransportResponse response) throws Exception {
        return JsonBodies.JSON.readTree(response.entity().orElseThrow());
    }
}

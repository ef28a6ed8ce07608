package io.switchboard.adapters.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers the server's own errors (malformed requests, refused WebSocket upgrades, oversized bodies)
 * with the same JSON body as every endpoint: {@code {"code","message"}}. A message that already is
 * such a JSON object (a refusal built by an adapter) is sent as it is. A 5xx never carries the
 * message it was given, which may be an exception's text (SPEC 15).
 */
final class JsonDirectHandler implements DirectHandler {
    static final String INTERNAL_MESSAGE = "the hub failed to answer this request";

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String body = message != null && message.startsWith("{\"code\"")
                ? message
                : JsonBodies.error(code(status), text(status, message)).toString();
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(body)
                .build();
    }

    private static String text(Status status, String message) {
        if (status.code() == 500) {
            return INTERNAL_MESSAGE;
        }
        return status.code() > 500 || message == null || message.isBlank() ? status.reasonPhrase() : message;
    }

    static String code(Status status) {
        return switch (status.code()) {
            case 400 -> "MESSAGE_INVALID";
            case 401 -> "AUTH_INVALID";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 413 -> "MESSAGE_TOO_LARGE";
            case 503 -> "UNAVAILABLE";
            default -> status.code() >= 500 ? "INTERNAL" : "HTTP_" + status.code();
        };
    }
}

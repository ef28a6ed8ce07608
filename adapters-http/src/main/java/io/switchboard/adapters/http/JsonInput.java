package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A route's JSON body: its Content-Type checked, then read within its size limit ({@link CappedBody})
 * before anything is parsed, then parsed by {@link RequestJson} (SPEC 15).
 *
 * @param maxBytes      largest body holding one object (or any other value)
 * @param maxArrayBytes largest body holding an array
 * @param what          what the body holds, for the 413 message ("one event")
 * @param typeRequired  whether the body must be declared {@code application/json}; otherwise a
 *                      missing Content-Type is accepted, but one that is not a media type never is
 */
record JsonInput(long maxBytes, long maxArrayBytes, String what, boolean typeRequired) {
    private static final String SEND_JSON = "send the body as JSON with Content-Type: application/json";

    /** One limit whatever the body holds. */
    JsonInput(long maxBytes, String what, boolean typeRequired) {
        this(maxBytes, maxBytes, what, typeRequired);
    }

    /**
     * @param expected what the body should hold, for the message about an empty one
     * @throws RejectedRequest 415 for a Content-Type that is malformed (or, when required, not JSON),
     *                         413 beyond the limit, 400 for an empty body or one {@link RequestJson} refuses
     */
    JsonNode read(ServerRequest req, String expected) {
        checkType(req);
        byte[] body = CappedBody.read(req, maxBytes, maxArrayBytes, this::tooLarge);
        return RequestJson.parse(new String(body, StandardCharsets.UTF_8), expected);
    }

    private void checkType(ServerRequest req) {
        Optional<String> declared = req.headers().first(HeaderNames.CONTENT_TYPE);
        if (declared.isEmpty()) {
            if (typeRequired) {
                throw unsupported(SEND_JSON);
            }
            return;
        }
        String mediaType;
        try {
            mediaType = HttpMediaType.create(declared.get()).mediaType().text();
        } catch (RuntimeException e) {
            throw unsupported("the Content-Type header is not a valid media type; " + SEND_JSON);
        }
        if (typeRequired && !mediaType.equalsIgnoreCase("application/json")) {
            throw unsupported(SEND_JSON);
        }
    }

    private RejectedRequest tooLarge(long limit) {
        String holding = limit == maxArrayBytes && maxArrayBytes != maxBytes ? "an array (a batch)" : what;
        return RejectedRequest.of(Status.REQUEST_ENTITY_TOO_LARGE_413, "MESSAGE_TOO_LARGE",
                "the body is larger than " + limit + " bytes, the limit for " + holding);
    }

    private static RejectedRequest unsupported(String message) {
        return RejectedRequest.of(Status.UNSUPPORTED_MEDIA_TYPE_415, "MESSAGE_INVALID", message);
    }
}

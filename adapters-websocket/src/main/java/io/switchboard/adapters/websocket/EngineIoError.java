package io.switchboard.adapters.websocket;

import io.helidon.http.Status;
import io.switchboard.application.json.JsonText;

/**
 * The errors an Engine.IO 4 server answers HTTP requests with, in its own words: {@code 400}
 * (403 for {@link #FORBIDDEN}) and {@code {"code":1,"message":"Session ID unknown"}}. The hub adds a
 * {@code reason} saying what exactly it refused.
 */
enum EngineIoError {
    UNKNOWN_TRANSPORT(0, "Transport unknown"),
    UNKNOWN_SID(1, "Session ID unknown"),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
    BAD_REQUEST(3, "Bad request"),
    FORBIDDEN(4, "Forbidden"),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

    private final int code;
    private final String message;

    EngineIoError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    Status status() {
        return this == FORBIDDEN ? Status.FORBIDDEN_403 : Status.BAD_REQUEST_400;
    }

    /** The JSON body, with the hub's {@code reason} when there is one. */
    String body(String reason) {
        return new JsonText(96).number("code", code).string("message", message).string("reason", reason).close();
    }
}

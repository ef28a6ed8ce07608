package io.switchboard.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What a hook answered: allowed (with what it grants), refused (with its code and message), or no usable answer. */
public sealed interface HookReply {

    /**
     * {@code 200 {"allow": true, ...}}.
     *
     * @param userId    the user the connection is for from now on, or {@code null} (keep the token's)
     * @param rooms     rooms to join on connect, besides the endpoint's
     * @param info      JSON text the application attaches to the connection, or {@code null}
     * @param expiresAt when the connection's grant ends, or {@code null} (the token's expiry, if any)
     * @param result    a command's result, JSON text, or {@code null}
     */
    record Allowed(String userId, List<String> rooms, String info, Instant expiresAt, String result) implements HookReply {
        public Allowed {
            rooms = rooms == null ? List.of() : List.copyOf(rooms);
        }

        /** An answer that allows and grants nothing more. */
        public static Allowed plain() {
            return new Allowed(null, List.of(), null, null, null);
        }
    }

    /** {@code 200 {"allow": false, "code": ..., "message": ...}}: the client is told exactly these. */
    record Denied(String code, String message) implements HookReply {
        public Denied {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * No answer the hub can use: a refused connection, a timeout, another status, a body that is not
     * the agreed JSON or too large.
     *
     * @param why for the log; never holds the request's or the answer's body, nor a token
     */
    record Failed(String why) implements HookReply {
    }
}

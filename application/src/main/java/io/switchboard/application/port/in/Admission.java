package io.switchboard.application.port.in;

import io.switchboard.application.port.Principal;
import io.switchboard.application.port.ConnectionSlot;
import io.switchboard.domain.ErrorCode;
import java.util.List;

/** The answer to a {@link ConnectRequest}. */
public sealed interface Admission {

    /**
     * @param principal who the client is, or {@code null} when anonymous
     * @param slot      its place in the connection limits; the connection holds it, or the caller releases it
     * @param rooms     the rooms it joins on connect, expanded and checked
     */
    record Admitted(Principal principal, ConnectionSlot slot, List<String> rooms) implements Admission {
        public Admitted {
            rooms = List.copyOf(rooms);
        }
    }

    /**
     * @param code    the error code the client is told ({@code UNAVAILABLE} has none of its own in {@link ErrorCode})
     * @param message what was wrong, for the client
     */
    record Refused(RefusalReason reason, String code, String message) implements Admission {
        public Refused(RefusalReason reason, ErrorCode code, String message) {
            this(reason, code.name(), message);
        }

        /** An expired token may be replaced and the client reconnect; any other refusal stays. */
        public boolean reconnect() {
            return code.equals(ErrorCode.AUTH_EXPIRED.name());
        }
    }
}

package io.switchboard.application.hub;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.StatsSnapshot;
import io.switchboard.domain.ErrorCode;

import java.util.List;

/** What the hub sends to a client; a dialect renders it into frames. */
public sealed interface Outbound permits Delivery, Outbound.Connected, Outbound.Joined, Outbound.Left, Outbound.State,
        Outbound.Pong, Outbound.Error, Outbound.Disconnect, Outbound.StatsUpdate, Outbound.Audit, Outbound.Ping, Outbound.PingReply, Outbound.Close {

    /** Whether the message counts against the connection's outbound bounds (events do; replies do not). */
    default boolean bounded() {
        return false;
    }

    default int approximateBytes() {
        return 128;
    }

    record Connected(String connectionId, String userId, List<String> rooms, long heartbeatIntervalMs,
                     long heartbeatTimeoutMs) implements Outbound {
    }

    /**
     * @param recovered {@code null} when the join did not ask to resume
     * @param reason    why the gap could not be replayed, with {@code recovered == false}
     */
    record Joined(String room, Boolean recovered, String lastId, String reason, String oldestId) implements Outbound {
    }

    /**
     * The connection is no longer in {@code room}: it left, or (with a {@code reason}) the hub ended the
     * subscription because access to the room was revoked ({@code FORBIDDEN}, {@code ROOM_NOT_FOUND}).
     */
    record Left(String room, String reason) implements Outbound {
        public Left(String room) {
            this(room, null);
        }
    }

    /** A room's state document ({@code state} is JSON text) and the id of the last event it reflects. */
    record State(String room, String state, String lastId) implements Outbound {
    }

    /** @param data JSON text echoed from the ping */
    record Pong(String data) implements Outbound {
    }

    /** @param ref the client's {@code ref} of the message this answers, or {@code null}; @param dropped for SLOW_CONSUMER */
    record Error(ErrorCode code, String message, String ref, Long dropped) implements Outbound {
        public Error(ErrorCode code, String message, String ref) {
            this(code, message, ref, null);
        }
    }

    record Disconnect(int code, String reason, boolean reconnect, Long retryAfterMs) implements Outbound {
    }

    record StatsUpdate(StatsSnapshot stats) implements Outbound {
        @Override
        public boolean bounded() {
            return true;
        }
    }

    /** One audit entry, for administrators watching the audit stream. */
    record Audit(AuditEntry entry) implements Outbound {
        @Override
        public boolean bounded() {
            return true;
        }
    }

    /** A transport-level ping (WebSocket ping frame). */
    record Ping() implements Outbound {
    }

    /** A transport-level answer to the client's ping (WebSocket pong frame echoing its payload). */
    record PingReply(byte[] payload) implements Outbound {
    }

    /** Ends the connection: the writer sends the close and stops. */
    record Close(int code, String reason) implements Outbound {
    }
}

package io.switchboard.application.hub;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.StatsSnapshot;
import io.switchboard.domain.ErrorCode;
import java.util.List;

/** What the hub sends to a client; a dialect renders it into frames. */
public sealed interface Outbound permits Delivery, Outbound.Connected, Outbound.Joined, Outbound.Left, Outbound.State,
        Outbound.Pong, Outbound.Error, Outbound.CommandResult, Outbound.Disconnect, Outbound.ConnectionState, Outbound.StatsUpdate, Outbound.Audit, Outbound.Notice, Outbound.Ping, Outbound.PingReply, Outbound.Close {

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

    /**
     * @param code    one of the hub's {@link ErrorCode}s, or the code an application's hook refused with
     * @param ref     the client's {@code ref} of the message this answers, or {@code null}
     * @param dropped for SLOW_CONSUMER
     */
    record Error(String code, String message, String ref, Long dropped) implements Outbound {
        public Error(ErrorCode code, String message, String ref, Long dropped) {
            this(code.name(), message, ref, dropped);
        }

        public Error(ErrorCode code, String message, String ref) {
            this(code.name(), message, ref, null);
        }

        public Error(String code, String message, String ref) {
            this(code, message, ref, null);
        }
    }

    /**
     * The answer of the application's command hook to a client's command (SPEC 16).
     *
     * @param ref    the command's {@code ref}, or {@code null} when the client sent none
     * @param result JSON text; {@code null} when the hook gave none
     */
    record CommandResult(String ref, String result) implements Outbound {
    }

    record Disconnect(int code, String reason, boolean reconnect, Long retryAfterMs) implements Outbound {
    }

    /**
     * The connection's status for a dialect that has a status message (seed 002's {@code connection_status}):
     * {@code connected} after the hub's {@code connected}; the other statuses are its {@code disconnect} notice.
     */
    record ConnectionState(String state, String message) implements Outbound {
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

    /**
     * A message of the hub's own with its type and data (JSON text), outside any room's history: a
     * presence answer, a {@code presence.join} or {@code presence.leave}.
     *
     * @param live a notice to the room's members (bounded like events); false for an answer to the client's request
     */
    record Notice(String type, String data, boolean live) implements Outbound {
        @Override
        public boolean bounded() {
            return live;
        }

        @Override
        public int approximateBytes() {
            return 64 + data.length();
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

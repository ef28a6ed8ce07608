package io.switchboard.application.dialect;

import io.switchboard.application.port.Template;
import io.switchboard.domain.ErrorCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a configured endpoint speaks: the envelope of its messages, renamed message types and error
 * codes, the fields of its {@code connected} message, and the client verbs that join, leave and sync.
 *
 * @param envelope        the envelope of room events
 * @param controlEnvelope the envelope of the hub's own messages ({@code connected}, {@code error}, ...)
 * @param types           canonical server message type → wire type
 * @param connected       field → template of the {@code connected} message; empty keeps the canonical fields
 * @param join            the client verb that joins a room, or {@code null}
 * @param leave           the client verb that leaves a room, or {@code null}
 * @param sync            the client verb that asks for a room's state, or {@code null}
 * @param errors          canonical error code → wire code
 * @param acks            whether the dialect has the client's {@code ack}: without it critical events go out once, without
 *                        {@code "ack": true}, and are never re-sent (seed 000's frontend has no ack)
 * @param connectionState the type of the dialect's connection status message ({@code connection_status}, seed 002), or
 *                        {@code null}: when set, {@code {status: "connected"}} follows {@code connected}, and the hub's
 *                        {@code disconnect} notice becomes {@code {status: "reconnecting" | "disconnected", message, code, ...}}
 */
public record DialectSpec(Envelope envelope, Envelope controlEnvelope, Map<String, String> types, Map<String, Template> connected,
                          Verb join, Verb leave, Verb sync, Map<ErrorCode, String> errors, boolean acks, String connectionState) {
    /** The hub's own message types, which {@code types} may rename. */
    public static final List<String> CONTROL_TYPES = List.of("connected", "joined", "left", "state", "pong", "error", "command_result", "disconnect",
            "stats_update");
    /** The canonical protocol (SPEC 3.1): nothing renamed, no extra verbs. */
    public static final DialectSpec CANONICAL = new DialectSpec(Envelope.DATA, Envelope.DATA, Map.of(), Map.of(), null, null, null, Map.of());

    /** Where a message's data goes. */
    public enum Envelope {
        /** {@code {"type", "data": D, "timestamp", ...}} */
        DATA,
        /** {@code {"type", "payload": D, "timestamp", ...}} */
        PAYLOAD,
        /** {@code {"type", ...fields of D, "timestamp", ...}}; a non-object D stays under {@code data} */
        FLAT
    }

    /**
     * A client verb: {@code {"type": verb, "data": {field: value}}} names the room {@code room} with
     * {@code {value}} filled in. Without a field the room template (over path parameters) names the room;
     * without either, the verb applies to the endpoint's auto-joined rooms.
     */
    public record Verb(String verb, String field, Template room) {
        public Verb {
            Objects.requireNonNull(verb, "verb");
            if (verb.isBlank()) {
                throw new IllegalArgumentException("a verb needs a name");
            }
        }
    }

    /** A dialect with the client's {@code ack} and no connection status message. */
    public DialectSpec(Envelope envelope, Envelope controlEnvelope, Map<String, String> types, Map<String, Template> connected,
                       Verb join, Verb leave, Verb sync, Map<ErrorCode, String> errors) {
        this(envelope, controlEnvelope, types, connected, join, leave, sync, errors, true, null);
    }

    public DialectSpec {
        Objects.requireNonNull(envelope, "envelope");
        if (connectionState != null && connectionState.isBlank()) {
            throw new IllegalArgumentException("connection-status: the type of the status message must not be blank");
        }
        Objects.requireNonNull(controlEnvelope, "controlEnvelope");
        types = Map.copyOf(types);
        connected = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(connected));
        errors = Map.copyOf(errors);
        for (String type : types.keySet()) {
            if (!CONTROL_TYPES.contains(type)) {
                throw new IllegalArgumentException("'" + type + "' is not one of the hub's message types " + String.join(", ", CONTROL_TYPES));
            }
        }
    }

    /** The wire type of a hub message of canonical type {@code type}. */
    public String type(String type) {
        return types.getOrDefault(type, type);
    }

    /** The wire code of {@code code}. */
    public String error(ErrorCode code) {
        return errors.getOrDefault(code, code.name());
    }

    /** The wire code of {@code code}, one of the hub's codes or an application's (kept as it is). */
    public String error(String code) {
        for (Map.Entry<ErrorCode, String> renamed : errors.entrySet()) {
            if (renamed.getKey().name().equals(code)) {
                return renamed.getValue();
            }
        }
        return code;
    }
}

package io.switchboard.application.dialect;

import io.switchboard.application.json.JsonText;
import io.switchboard.application.dialect.DialectSpec.Envelope;
import io.switchboard.domain.Event;
import io.switchboard.domain.Timestamps;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Puts a message's type and data into one of the envelopes a dialect may use. */
final class EnvelopeFrame {
    private static final Set<String> CONTROL_FIELDS = Set.of("type", "timestamp");
    private static final Set<String> EVENT_FIELDS = Set.of("type", "timestamp", "room", "id", "ack");

    private EnvelopeFrame() {
    }

    /** One of the hub's own messages: {@code {"type", <data>, "timestamp"}}. */
    static String control(Envelope envelope, String type, String data, String timestamp) {
        JsonText json = new JsonText(data.length() + 80).string("type", type);
        body(json, envelope, data, CONTROL_FIELDS);
        return json.string("timestamp", timestamp).close();
    }

    /**
     * A room event: {@code data} and {@code payload} keep the canonical order (type, room, id, data,
     * timestamp, meta); {@code flat} puts the data's fields right after the type, and the envelope's own
     * fields (and meta) win over data fields of the same name. A critical event adds {@code "ack": true}.
     */
    static String event(Envelope envelope, String type, Event event) {
        return event(envelope, type, event, true);
    }

    /** A room event; {@code "ack": true} on a critical one only where the dialect has {@code acks}. */
    static String event(Envelope envelope, String type, Event event, boolean acks) {
        JsonText json = new JsonText(event.data().length() + 160).string("type", type);
        if (envelope == Envelope.FLAT) {
            Set<String> reserved = event.meta().isEmpty() ? EVENT_FIELDS : withMeta(event.meta());
            body(json, envelope, event.data(), reserved);
            json.string("timestamp", Timestamps.format(event.timestamp()))
                    .string("room", event.room().value())
                    .string("id", event.id().toString());
        } else {
            json.string("room", event.room().value())
                    .string("id", event.id().toString());
            body(json, envelope, event.data(), EVENT_FIELDS);
            json.string("timestamp", Timestamps.format(event.timestamp()));
        }
        for (Map.Entry<String, String> field : event.meta().entrySet()) {
            json.string(field.getKey(), field.getValue());
        }
        if (event.critical() && acks) {
            json.bool("ack", true);
        }
        return json.close();
    }

    private static void body(JsonText json, Envelope envelope, String data, Set<String> reserved) {
        switch (envelope) {
            case DATA -> json.raw("data", data);
            case PAYLOAD -> json.raw("payload", data);
            case FLAT -> {
                List<JsonMembers.Member> members = JsonMembers.of(data);
                if (members == null) {
                    json.raw("data", data);
                    return;
                }
                for (JsonMembers.Member member : members) {
                    if (!reserved.contains(member.name())) {
                        json.raw(member.name(), member.value());
                    }
                }
            }
        }
    }

    private static Set<String> withMeta(Map<String, String> meta) {
        Set<String> reserved = new HashSet<>(EVENT_FIELDS);
        reserved.addAll(meta.keySet());
        return reserved;
    }
}

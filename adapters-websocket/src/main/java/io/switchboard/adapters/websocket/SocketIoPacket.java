package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One Socket.IO v5 packet, the payload of an Engine.IO message: {@code <type>[<namespace>,][<ack id>][<JSON>]}
 * — e.g. {@code 0{"token":"…"}}, {@code 2["join","abc-123"]}, {@code 21["join","abc-123"]} (asks for an ack),
 * {@code 0/admin,}. The default namespace {@code /} is not written.
 *
 * @param ackId the id the sender wants acknowledged, or {@code null}
 * @param data  the JSON payload, or {@code null} when there is none
 */
record SocketIoPacket(int type, String namespace, Long ackId, JsonNode data) {
    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int CONNECT_ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;
    static final String DEFAULT_NAMESPACE = "/";
    private static final int MAX_ACK_DIGITS = 15;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Reads a packet; anything that is not one throws {@link IllegalArgumentException} saying what is wrong. */
    static SocketIoPacket parse(String text) {
        if (text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '6') {
            throw new IllegalArgumentException("a Socket.IO packet starts with its type, a digit 0-6");
        }
        int type = text.charAt(0) - '0';
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            throw new IllegalArgumentException("binary events are not supported; send JSON arguments");
        }
        int i = 1;
        String namespace = DEFAULT_NAMESPACE;
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        int digits = i;
        while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        Long ackId = null;
        if (digits > i) {
            if (digits - i > MAX_ACK_DIGITS) {
                throw new IllegalArgumentException("the ack id is too long");
            }
            ackId = Long.parseLong(text.substring(i, digits));
        }
        JsonNode data = null;
        if (digits < text.length()) {
            try {
                data = JSON.readTree(text.substring(digits));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the packet's payload is not valid JSON");
            }
        }
        return new SocketIoPacket(type, namespace, ackId, data);
    }

    /** The Engine.IO message carrying a packet: {@code 4} + type + namespace (unless {@code /}) + ack id + JSON. */
    static String encode(int type, String namespace, Long ackId, String json) {
        StringBuilder sb = new StringBuilder(json == null ? 8 : json.length() + 8).append(EngineIoPacket.MESSAGE).append(type);
        if (!DEFAULT_NAMESPACE.equals(namespace)) {
            sb.append(namespace).append(',');
        }
        if (ackId != null) {
            sb.append(ackId.longValue());
        }
        if (json != null) {
            sb.append(json);
        }
        return sb.toString();
    }

    /** An event in the default namespace: {@code 42["name",arg,…]} with each argument already JSON. */
    static String event(String name, String... jsonArgs) {
        StringBuilder array = new StringBuilder(64).append('[').append(io.switchboard.application.json.JsonText.quoted(name));
        for (String arg : jsonArgs) {
            array.append(',').append(arg);
        }
        return encode(EVENT, DEFAULT_NAMESPACE, null, array.append(']').toString());
    }

    /** The answer to an event that asked for an ack: {@code 43<id>[arg]}. */
    static String ack(long ackId, String jsonArg) {
        return encode(ACK, DEFAULT_NAMESPACE, ackId, "[" + jsonArg + "]");
    }
}

package io.switchboard.adapters.websocket;

import io.switchboard.application.json.JsonText;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO v4 packets: over WebSocket one packet per text frame, over long-polling several in one
 * HTTP body joined by {@link #SEPARATOR}; each packet's type is a digit
 * before the payload ({@code 0} open, {@code 1} close, {@code 2} ping, {@code 3} pong, {@code 4} message,
 * {@code 5} upgrade, {@code 6} noop).
 */
final class EngineIoPacket {
    static final char OPEN = '0';
    static final char CLOSE = '1';
    static final char PING = '2';
    static final char PONG = '3';
    static final char MESSAGE = '4';
    static final char UPGRADE = '5';
    static final char NOOP = '6';
    /**
     * Separates packets when one rendered message stands for several (as in a long-polling payload);
     * the sink writes each as its own frame. JSON text escapes it, so it never occurs inside a packet.
     */
    static final char SEPARATOR = '\u001e';

    private EngineIoPacket() {
    }

    /**
     * The handshake: the session id, the upgrades offered ({@code ["websocket"]} to a long-polling
     * client, none to one already on WebSocket) and the heartbeat the server keeps — the client closes
     * when no ping came for interval + timeout.
     */
    static String open(String sid, boolean upgradable, long pingIntervalMs, long pingTimeoutMs, long maxPayloadBytes) {
        return OPEN + new JsonText(128)
                .string("sid", sid)
                .raw("upgrades", upgradable ? "[\"websocket\"]" : "[]")
                .number("pingInterval", pingIntervalMs)
                .number("pingTimeout", pingTimeoutMs)
                .number("maxPayload", maxPayloadBytes)
                .close();
    }

    static String ping() {
        return String.valueOf(PING);
    }

    /** The packets of one long-polling body, in order (an empty body holds none). */
    static List<String> split(String payload) {
        List<String> packets = new ArrayList<>();
        if (payload.isEmpty()) {
            return packets;
        }
        int start = 0;
        for (int i = payload.indexOf(SEPARATOR); i >= 0; i = payload.indexOf(SEPARATOR, start)) {
            packets.add(payload.substring(start, i));
            start = i + 1;
        }
        packets.add(payload.substring(start));
        return packets;
    }

    /**
     * Why one packet of a long-polling body is not one this hub reads, or {@code null} when it is: the
     * body's framing is broken (Engine.IO closes the session), unlike a bad Socket.IO packet inside a message.
     */
    static String malformed(String packet) {
        if (packet.isEmpty()) {
            return "an empty Engine.IO packet";
        }
        char type = packet.charAt(0);
        if (type == 'b') {
            return "binary (base64) packets are not supported; send JSON arguments";
        }
        if (type < OPEN || type > NOOP) {
            return "not an Engine.IO packet: it must start with a type digit 0-6";
        }
        return null;
    }
}

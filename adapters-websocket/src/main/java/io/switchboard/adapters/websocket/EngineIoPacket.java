package io.switchboard.adapters.websocket;

import io.switchboard.application.json.JsonText;

/**
 * Engine.IO v4 packets over the WebSocket transport: one packet per text frame, its type a digit
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
     * The handshake: the session id, no upgrades (the client is already on WebSocket) and the
     * heartbeat the server keeps — the client closes when no ping came for interval + timeout.
     */
    static String open(String sid, long pingIntervalMs, long pingTimeoutMs, long maxPayloadBytes) {
        return OPEN + new JsonText(128)
                .string("sid", sid)
                .raw("upgrades", "[]")
                .number("pingInterval", pingIntervalMs)
                .number("pingTimeout", pingTimeoutMs)
                .number("maxPayload", maxPayloadBytes)
                .close();
    }

    static String ping() {
        return String.valueOf(PING);
    }
}

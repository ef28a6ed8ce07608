package io.switchboard.bench;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What subscribers connect to: the transport, the server (loopback only) and the room to join
 * ({@code null}: connect and stay idle).
 */
record Target(Transport transport, String host, int port, String room, boolean batch) {

    enum Transport {
        /** Switchboard's canonical WebSocket protocol at {@code /ws}. */
        WS,
        /** Switchboard's SSE endpoint at {@code /sse?rooms=}. */
        SSE,
        /** Engine.IO v4 / Socket.IO v5 over WebSocket at {@code /socket.io/}. */
        SOCKETIO;

        static Transport parse(String name) {
            return switch (name) {
                case "ws", "websocket" -> WS;
                case "sse" -> SSE;
                case "socketio", "socket.io" -> SOCKETIO;
                default -> throw new IllegalArgumentException("--transport: ws, sse or socketio, not '" + name + "'");
            };
        }
    }

    Target {
        if (!host.equals("localhost") && !host.startsWith("127.")) {
            throw new IllegalArgumentException("the load generator only targets loopback, not " + host);
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** Path and query of the request that opens one connection. */
    String requestPath() {
        return switch (transport) {
            case WS -> "/ws" + (batch ? "?batch=1" : "");
            case SSE -> "/sse?rooms=" + URLEncoder.encode(room == null ? "bench:idle" : room, StandardCharsets.UTF_8);
            case SOCKETIO -> "/socket.io/?EIO=4&transport=websocket";
        };
    }
}

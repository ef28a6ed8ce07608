package io.switchboard.bench;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What subscribers connect to: the transport, the server (loopback only) and the room to join
 * ({@code null}: connect and stay idle). The transport also says how events are published to it.
 */
record Target(Transport transport, String host, int port, String room, boolean batch) {

    /** The room an idle subscriber of a server that needs one (SSE, Nchan, the {@code ws} server) is in. */
    static final String IDLE_ROOM = "bench:idle";
    /** Ids as long as Switchboard's (16 digits). */
    private static final long RELAYED_ID_BASE = 1_000_000_000_000_000L;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    enum Transport {
        /** Switchboard's canonical WebSocket protocol at {@code /ws}. */
        WS("ws"),
        /** Switchboard's SSE endpoint at {@code /sse?rooms=}. */
        SSE("sse"),
        /** Engine.IO v4 / Socket.IO v5 over WebSocket at {@code /socket.io/} (bench/socketio/server.js). */
        SOCKETIO("socketio"),
        /** Nchan's WebSocket subscriber at {@code /sub?id=ROOM} (bench/nchan/nginx.conf): each message is one text frame. */
        NCHAN_WS("nchan-ws"),
        /** Nchan's EventSource subscriber at {@code /sub?id=ROOM}: {@code id:} and {@code data:} lines, resumable by Last-Event-ID. */
        NCHAN_SSE("nchan-sse"),
        /** The plain {@code ws} broadcast server at {@code /?room=ROOM} (bench/ws/server.js). */
        PLAIN_WS("plain-ws");

        private final String label;

        Transport(String label) {
            this.label = label;
        }

        /** The name on the command line and in the CSV. */
        String label() {
            return label;
        }

        static Transport parse(String name) {
            for (Transport t : values()) {
                if (t.label.equals(name)) {
                    return t;
                }
            }
            return switch (name) {
                case "websocket" -> WS;
                case "socket.io" -> SOCKETIO;
                default -> throw new IllegalArgumentException(
                        "--transport: ws, sse, socketio, nchan-ws, nchan-sse or plain-ws, not '" + name + "'");
            };
        }

        /** An {@code text/event-stream} response rather than a WebSocket. */
        boolean isSse() {
            return this == SSE || this == NCHAN_SSE;
        }

        /** Subscribed once the server has answered the request: no join message, no {@code joined} answer. */
        boolean subscribedOnOpen() {
            return this == NCHAN_WS || this == NCHAN_SSE || this == PLAIN_WS;
        }

        /** Switchboard itself (its stats API and {@code joined} answers are there). */
        boolean isSwitchboard() {
            return this == WS || this == SSE;
        }

        boolean isNchan() {
            return this == NCHAN_WS || this == NCHAN_SSE;
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

    /** Path and query of the request that opens one connection subscribed to {@code room} (where the path says it). */
    String requestPath(String room) {
        String joined = encode(room == null ? IDLE_ROOM : room);
        return switch (transport) {
            case WS -> "/ws" + (batch ? "?batch=1" : "");
            case SSE -> "/sse?rooms=" + joined;
            case SOCKETIO -> "/socket.io/?EIO=4&transport=websocket";
            case NCHAN_WS, NCHAN_SSE -> "/sub?id=" + joined;
            case PLAIN_WS -> "/?room=" + joined;
        };
    }

    /**
     * Path and query of the POST that publishes to {@code room}: Nchan's publisher location takes the
     * message as the body; the others take Switchboard's body (an event, or an array of them).
     */
    String publishPath(String room) {
        return transport.isNchan() ? "/pub?id=" + encode(room) : "/api/v1/events";
    }

    /** At most this many events in one POST: Nchan publishes one message per request. */
    int maxEventsPerPost(int wanted) {
        return transport.isNchan() ? 1 : wanted;
    }

    /** A publish succeeded: Nchan answers 201 (delivered to subscribers) or 202 (queued, none yet); the others 202. */
    boolean publishAccepted(int status) {
        return status == 202 || (transport.isNchan() && status == 201);
    }

    /**
     * The fields to add to event {@code seq}'s published object so that a server which relays the body as it is
     * (Nchan) delivers as many bytes as Switchboard, which adds an {@code id} and a {@code timestamp} to the envelope
     * (the {@code ws} and Socket.IO servers add them themselves); empty for the others.
     */
    String relayedEnvelopeFields(long seq) {
        return transport.isNchan()
                ? ",\"id\":\"" + (RELAYED_ID_BASE + seq) + "\",\"timestamp\":\"" + TIMESTAMP.format(Instant.now()) + "\""
                : "";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

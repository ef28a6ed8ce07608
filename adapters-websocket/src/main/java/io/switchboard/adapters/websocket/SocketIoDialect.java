package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.json.JsonText;
import io.switchboard.application.hub.Delivery;
import io.switchboard.application.hub.MessageRenderer;
import io.switchboard.application.hub.Outbound;
import io.switchboard.domain.Event;
import io.switchboard.domain.Timestamps;

import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The Socket.IO dialect (SPEC 3.2) of one connection. The hub's first {@code connected} becomes the
 * Engine.IO handshake; the second, sent when the client connects to the namespace, becomes
 * {@code 40{"sid"}} followed by the event {@code connected}. Everything else is an event
 * {@code 42["<type>", data]}; room events carry a second argument {@code {room, id, timestamp, ack?, …meta}}.
 *
 * <p>One instance per connection because acks are per connection: the reader notes which answer an
 * ack id waits for ({@link #expectAck}), and the writer appends {@code 43<id>[…]} after that answer.
 * The {@code ref} of an {@code error} says where it goes: an ack id, {@link #CONNECT_REF} (a refused
 * namespace connect, {@code 44}) or {@link #NAMESPACE_REF} + a namespace this hub does not serve.
 */
final class SocketIoDialect implements MessageRenderer {
    static final String CONNECT_REF = "connect";
    static final String NAMESPACE_REF = "nsp:";
    static final String DISCONNECT_EVENT = "server_disconnect";
    /** The type of the answer to a client's {@code presence} event. */
    private static final String PRESENCE = "presence";
    /** Shared by every connection, so a room event is rendered once for all Socket.IO subscribers. */
    private static final Function<Event, String> EVENTS = SocketIoDialect::renderEvent;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CanonicalDialect canonical;
    private final long maxPayloadBytes;
    private final boolean upgradable;
    private final Queue<PendingAck> pending = new ConcurrentLinkedQueue<>();
    // Writer state: only the connection's writer renders, one message at a time.
    private volatile boolean handshakeSent;
    private volatile boolean namespaceConnected;

    /** @param upgradable whether the handshake offers the upgrade to WebSocket (a long-polling session) */
    SocketIoDialect(CanonicalDialect canonical, long maxPayloadBytes, boolean upgradable) {
        this.canonical = canonical;
        this.maxPayloadBytes = maxPayloadBytes;
        this.upgradable = upgradable;
    }

    /** Which answer acknowledges a client's event: {@code joined}, {@code left}, {@code state} or {@code presence} for this room. */
    record PendingAck(String answer, String room, long id) {
    }

    /** Called by the reader before it hands the event to the hub, so the answer cannot come first. */
    void expectAck(String answer, String room, long id) {
        pending.add(new PendingAck(answer, room, id));
    }

    @Override
    public String render(Outbound message) {
        return switch (message) {
            case Delivery delivery -> delivery.frame(EVENTS);
            case Outbound.Connected c -> connected(c);
            case Outbound.Joined j -> answer("joined", j.room(), canonicalData(message));
            case Outbound.Left l -> answer("left", l.room(), canonicalData(message));
            case Outbound.State s -> answer("state", s.room(), canonicalData(message));
            case Outbound.Error e -> error(e);
            case Outbound.CommandResult r -> SocketIoPacket.event("command_result", canonicalData(r));
            case Outbound.Disconnect d -> disconnect(d);
            case Outbound.ConnectionState s -> SocketIoPacket.event("connection_status", canonicalData(message));
            case Outbound.StatsUpdate s -> SocketIoPacket.event("stats_update", CanonicalDialect.stats(s.stats()));
            case Outbound.Audit a -> SocketIoPacket.event("audit", CanonicalDialect.audit(a.entry()));
            case Outbound.Pong p -> SocketIoPacket.event("pong", p.data());
            // a presence page answers the oldest presence request waiting (they are answered in order)
            case Outbound.Notice n -> n.type().equals(PRESENCE) ? answer(PRESENCE, null, n.data()) : SocketIoPacket.event(n.type(), n.data());
            case Outbound.Ping p -> EngineIoPacket.ping();
            case Outbound.PingReply p -> throw new IllegalArgumentException("a WebSocket pong is not text");
            case Outbound.Close c -> throw new IllegalArgumentException("a close is not text");
        };
    }

    private String connected(Outbound.Connected c) {
        if (!handshakeSent) {
            handshakeSent = true;
            return EngineIoPacket.open(c.connectionId(), upgradable, c.heartbeatIntervalMs(), c.heartbeatTimeoutMs(), maxPayloadBytes);
        }
        namespaceConnected = true;
        return SocketIoPacket.encode(SocketIoPacket.CONNECT, SocketIoPacket.DEFAULT_NAMESPACE, null,
                new JsonText(48).string("sid", c.connectionId()).close())
                + EngineIoPacket.SEPARATOR + SocketIoPacket.event("connected", canonicalData(c));
    }

    /** The event, then the ack that waited for it (the first pending one for this answer and room; any room when {@code null}). */
    private String answer(String type, String room, String data) {
        String event = SocketIoPacket.event(type, data);
        for (Iterator<PendingAck> it = pending.iterator(); it.hasNext(); ) {
            PendingAck ack = it.next();
            if (ack.answer().equals(type) && (room == null || ack.room().equals(room))) {
                it.remove();
                return event + EngineIoPacket.SEPARATOR + SocketIoPacket.ack(ack.id(), data);
            }
        }
        return event;
    }

    private String error(Outbound.Error e) {
        String ref = e.ref();
        if (ref != null && ref.startsWith(NAMESPACE_REF)) {
            return SocketIoPacket.encode(SocketIoPacket.CONNECT_ERROR, ref.substring(NAMESPACE_REF.length()), null,
                    new JsonText(64).string("message", e.message()).close());
        }
        JsonText fields = new JsonText(128).string("code", e.code()).string("message", e.message());
        if (e.dropped() != null) {
            fields.number("dropped", e.dropped());
        }
        String data = fields.close();
        if (CONNECT_REF.equals(ref) || !namespaceConnected) {
            // Before the namespace is connected the only way to tell the client is a connect error.
            return SocketIoPacket.encode(SocketIoPacket.CONNECT_ERROR, SocketIoPacket.DEFAULT_NAMESPACE, null,
                    new JsonText(160).string("message", e.message()).raw("data", data).close());
        }
        String event = SocketIoPacket.event("error", data);
        Long ackId = ackId(ref);
        if (ackId == null) {
            return event;
        }
        pending.removeIf(ack -> ack.id() == ackId);
        return event + EngineIoPacket.SEPARATOR + SocketIoPacket.ack(ackId, new JsonText(160).raw("error", data).close());
    }

    /**
     * Says why as an event; only a close the client must not retry adds {@code 41} (the server
     * disconnected the socket), because socket.io-client reconnects after a bare transport close
     * and gives up after {@code 41}. Before the namespace connect there is no socket to tell.
     */
    private String disconnect(Outbound.Disconnect d) {
        if (!namespaceConnected) {
            return "";
        }
        JsonText fields = new JsonText(96).number("code", d.code()).string("reason", d.reason()).bool("reconnect", d.reconnect());
        if (d.retryAfterMs() != null) {
            fields.number("retryAfterMs", d.retryAfterMs());
        }
        String event = SocketIoPacket.event(DISCONNECT_EVENT, fields.close());
        return d.reconnect() ? event : event + EngineIoPacket.SEPARATOR
                + SocketIoPacket.encode(SocketIoPacket.DISCONNECT, SocketIoPacket.DEFAULT_NAMESPACE, null, null);
    }

    /** The {@code data} object the canonical protocol sends for this message, so both dialects say the same. */
    private String canonicalData(Outbound message) {
        try {
            return JSON.readTree(canonical.render(message)).get("data").toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the canonical dialect rendered invalid JSON", e);
        }
    }

    private static Long ackId(String ref) {
        if (ref == null || ref.isEmpty() || ref.length() > 15 || !ref.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(ref);
    }

    /** {@code 42["<type>", data, {room, id, timestamp, …meta}]}: the handler's first argument is the event's data. */
    static String renderEvent(Event event) {
        JsonText details = new JsonText(96)
                .string("room", event.room().value())
                .string("id", event.id().toString())
                .string("timestamp", Timestamps.format(event.timestamp()))
                .bool("ack", event.critical() ? Boolean.TRUE : null);
        for (Map.Entry<String, String> field : event.meta().entrySet()) {
            details.string(field.getKey(), field.getValue());
        }
        return SocketIoPacket.event(event.type(), event.data(), details.close());
    }
}

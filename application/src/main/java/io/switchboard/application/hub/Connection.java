package io.switchboard.application.hub;

import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.port.ConnectionSlot;
import io.switchboard.application.port.SlotHolder;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ConnectionId;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One connected client, as the rest of the hub sees it: who it is (its token, its place in the
 * connection limits), the rooms it joined, and how its life goes from open through closing to closed.
 * What it does it leaves to its parts: {@link OutboundWriter} queues and writes to the transport,
 * {@link Liveness} says when to ping or give up on the client, {@link InboundGate} rate-limits its
 * messages and {@link PendingAcks} tracks its critical events. Time comes from the hub's {@link Ticker}.
 */
public final class Connection implements SlotHolder {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Connection.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConnectionId id = ConnectionId.random();
    private final ConnectionSpec spec;
    private final Instant openedAt;
    private final long openedNanos;
    private final FrameSink sink;
    private final HubMetrics metrics;
    private final Ticker ticker;
    private final ConnectionEvents events;
    private final OutboundWriter writer;
    private final Liveness liveness;
    private final PendingAcks acks;
    /** Rooms a connection may be in at once: how many left rooms' last ids it remembers. */
    private final int maxRooms;
    // Touched only by the transport's reader.
    private final InboundGate inbound;
    // A plain field updated through a VarHandle rather than an AtomicInteger: the fan-out reads it for
    // every subscriber, and a separate object was one more cache miss (and 16+ bytes) per connection.
    private volatile int state = OPEN;
    private final Map<RoomName, Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile int closeCode = 1006;
    private volatile Principal principal;
    private volatile ConnectionSlot slot;
    /** Set once the transport ends, whoever closed: after the hub's own close frame, the socket may outlive the connection. */
    private volatile boolean transportEnded;
    /** The transport carrying the connection now: the spec's, until an Engine.IO session upgrades. */
    private volatile String transport;
    /** The latest moment the client provably saw (see {@link Hub#startJoinsWhereSeen}); -1: not tracked. */
    private volatile long seenMoment = -1;
    /** The moment the outstanding ping was queued at, while {@link #seenMoment} is tracked. */
    private volatile long pingMoment = -1;
    /** The last id sent in each room the client left, while {@link #seenMoment} is tracked (null: none yet). */
    private volatile Map<RoomName, Long> sentBeforeLeaving;

    Connection(ConnectionSpec spec, Instant openedAt, FrameSink sink, MessageRenderer renderer, HubSettings settings,
               HubMetrics metrics, Executor writers, ConnectionEvents events, DeliveryRules rules, Ticker ticker) {
        this.spec = spec;
        this.transport = spec.transport();
        this.principal = spec.principal();
        this.openedAt = openedAt;
        this.openedNanos = ticker.nanos();
        this.sink = sink;
        this.metrics = metrics;
        this.ticker = ticker;
        this.events = events;
        this.writer = new OutboundWriter(this, sink, renderer, settings, metrics, writers);
        this.liveness = new Liveness(settings, rules, openedNanos);
        this.acks = new PendingAcks(rules, settings.outboundMaxMessages());
        this.inbound = new InboundGate(settings, openedNanos);
        this.maxRooms = settings.maxRoomsPerConnection();
    }

    /** What the hub is told about a connection's life. */
    interface ConnectionEvents {
        void closed(Connection connection, int code);

        /** A message was over the inbound rate; {@code closing} when that closes the connection. */
        void rateLimited(Connection connection, boolean closing);

        /** A newer connection took this one's place in the limits: record it and close with 4009. */
        void evicted(Connection connection, String reason);

        /** Now, as a moment of the hub's hearing of events (see {@link Hub#startJoinsWhereSeen}). */
        long moment();

        /** The hub's close frame was written; the transport has yet to end. */
        void closeWritten(Connection connection);
    }

    /** The outcome of admitting one inbound client message. */
    public enum InboundVerdict {
        ADMITTED,
        /** Over the rate: the client was sent {@code error RATE_LIMITED}; ignore the message. */
        RATE_LIMITED,
        /** Over the rate too often: the connection is closing with 4008. */
        CLOSING
    }

    public ConnectionId id() {
        return id;
    }

    public ConnectionSpec spec() {
        return spec;
    }

    /** The transport carrying the connection now: {@code polling} becomes {@code websocket} when an Engine.IO session upgrades. */
    public String transport() {
        return transport;
    }

    /** The client moved the connection to another transport (an Engine.IO upgrade); the same connection goes on there. */
    public void transportUpgraded(String to) {
        transport = to;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** Holds the connection's place in the connection limits until it ends. */
    public void holdSlot(ConnectionSlot held) {
        this.slot = held;
        if (held != null) {
            held.attach(this);
        }
        if (state == CLOSED) {
            releaseSlot();
        }
    }

    /** Frees the connection's place in the limits (at its end, or when it is evicted). */
    public void releaseSlot() {
        ConnectionSlot held = slot;
        if (held != null) {
            held.release();
        }
    }

    /** Who the client is (its latest verified token), or {@code null} when anonymous. */
    public Principal principal() {
        return principal;
    }

    public String userId() {
        Principal p = principal;
        return p == null ? null : p.userId();
    }

    /**
     * Replaces the client's token with a newer one for the same user, so the connection outlives the
     * old token's expiry; a token for another user is refused.
     */
    public void refresh(Principal newer) {
        Principal current = principal;
        if (current != null && !current.userId().equals(newer.userId())) {
            throw new TokenRejectedException(ErrorCode.AUTH_INVALID, "refresh: the new token is for another user");
        }
        principal = newer;
    }

    @Override
    public boolean open() {
        return state == OPEN;
    }

    /** Whether the connection is over: its close was written, or its transport ended. */
    public boolean finished() {
        return state == CLOSED;
    }

    public int closeCode() {
        return closeCode;
    }

    /** Milliseconds since the client last sent anything. */
    @Override
    public long idleMillis(long nowNanos) {
        return liveness.idleMillis(nowNanos);
    }

    @Override
    public void evict(String reason) {
        events.evicted(this, reason);
    }

    long ageNanos(long nowNanos) {
        return nowNanos - openedNanos;
    }

    /** Whether the client has joined {@code room}. */
    public boolean inRoom(RoomName room) {
        return subscriptions.containsKey(room);
    }

    Map<RoomName, Subscription> subscriptions() {
        return subscriptions;
    }

    /**
     * The client sees the next message queued only after {@code moment}, so its joins without {@code since}
     * may start there (see {@link Hub#startJoinsWhereSeen}); from now on each answered ping moves it forward.
     */
    void seenAt(long moment) {
        seenMoment = moment;
    }

    /** The latest moment the client provably saw, or -1 when its joins start where the room is when read. */
    long seenMoment() {
        return seenMoment;
    }

    /** The client left {@code room} after it was sent {@code lastSent}: a join without {@code since} does not repeat that. */
    void left(RoomName room, long lastSent) {
        if (seenMoment < 0 || lastSent < 0) {
            return;
        }
        Map<RoomName, Long> rooms = sentBeforeLeaving;
        if (rooms == null) {
            rooms = new ConcurrentHashMap<>();
            sentBeforeLeaving = rooms;
        } else if (rooms.size() >= maxRooms) {
            rooms.clear(); // forgetting costs at most events sent again, never one missed
        }
        rooms.merge(room, lastSent, Math::max);
    }

    /** The last id sent in {@code room} before the client left it, or -1. */
    long leftAt(RoomName room) {
        Map<RoomName, Long> rooms = sentBeforeLeaving;
        Long id = rooms == null ? null : rooms.get(room);
        return id == null ? -1 : id;
    }

    /** Queues a message for the client; never blocks. A full queue applies the overflow policy. */
    public void send(Outbound message) {
        if (state != OPEN) {
            return;
        }
        if (writer.offer(message)) {
            writer.wake();
        } else {
            metrics.dropped(1);
            metrics.slowConsumerClosed();
            close(CloseCode.SLOW_CONSUMER, "slow consumer: outbound queue full", true, null, true);
        }
    }

    /**
     * Queues a run of live deliveries with one lock and one writer wake-up (the fan-out of a publish of
     * many events); a delivery that does not fit goes the way of {@link #send(Outbound)}, overflow policy and all.
     */
    void send(List<Delivery> run) {
        if (state != OPEN) {
            return;
        }
        int queued = writer.offerAll(run);
        for (int i = queued; i < run.size(); i++) {
            send(run.get(i));
        }
        if (queued > 0) {
            writer.wake();
        }
    }

    /**
     * Tells the client why ({@code disconnect}), then closes with {@code code} once what is queued
     * before the notice has been written (or at once, with {@code discardQueued}).
     */
    public void close(int code, String reason, boolean reconnect, Long retryAfterMs, boolean discardQueued) {
        if (!STATE.compareAndSet(this, OPEN, CLOSING)) {
            return;
        }
        liveness.closing(ticker.nanos());
        if (discardQueued) {
            metrics.dropped(writer.discard());
        }
        writer.add(new Outbound.Disconnect(code, reason, reconnect, retryAfterMs));
        writer.add(new Outbound.Close(code, reason));
        writer.wake();
    }

    /** The transport saw the connection end (the client closed, or the socket failed). */
    public void transportClosed(int code) {
        transportEnded = true;
        markClosed(code);
    }

    /**
     * The hub's close frame is written: the client should answer it and the transport end. Until it does
     * (see {@link #transportEnded()}), the hub keeps an eye on the socket, which it cuts after the close grace.
     */
    void closeWritten() {
        events.closeWritten(this);
    }

    /** Whether the transport told the hub it ended (the client answered the close, or the socket went away). */
    boolean transportEnded() {
        return transportEnded;
    }

    /** Cuts the socket of a client that never answered the hub's close frame. */
    void cutLingeringSocket() {
        if (!transportEnded) {
            try {
                sink.abort();
            } catch (RuntimeException e) {
                // gone already
            }
        }
    }

    /** Rate-limits one inbound client message (call from the transport's reader only). */
    public InboundVerdict admitInbound() {
        return admitInbound(null);
    }

    /**
     * Rate-limits one inbound client message (call from the transport's reader only).
     *
     * @param ref the message's reference, when the transport could read one: a refused message is
     *            answered there too, so that a client waiting for that answer gets it
     */
    public InboundVerdict admitInbound(String ref) {
        long now = ticker.nanos();
        liveness.messageReceived(now);
        InboundGate.Verdict verdict = inbound.admit(now);
        if (verdict == InboundGate.Verdict.ADMITTED) {
            return InboundVerdict.ADMITTED;
        }
        metrics.rateLimited();
        if (verdict == InboundGate.Verdict.CLOSE) {
            events.rateLimited(this, true);
            close(CloseCode.RATE_LIMITED, "rate limit exceeded repeatedly", true, null, true);
            return InboundVerdict.CLOSING;
        }
        if (verdict == InboundGate.Verdict.FIRST_REFUSAL) {
            events.rateLimited(this, false);
        }
        send(new Outbound.Error(ErrorCode.RATE_LIMITED, inbound.refusal(), ref));
        return InboundVerdict.RATE_LIMITED;
    }

    /**
     * The client acknowledged critical event {@code id} of {@code room} (of any room when {@code room}
     * is null), so it is not sent again.
     *
     * @return whether that event was waiting for an ack; a repeated or unknown ack is not an error
     */
    public boolean acknowledge(RoomName room, EventId id) {
        return acks.acknowledge(room, id);
    }

    /** The client left {@code room}: its critical events are not sent again. */
    void forgetAcks(RoomName room) {
        acks.forget(room);
    }

    /** Critical events written to this client and not yet acknowledged. */
    public int unacknowledged() {
        return acks.size();
    }

    /**
     * The client answered a ping: it saw every message queued before that ping, so a tracked
     * {@link #seenMoment} moves to the moment the ping was queued at.
     */
    public void pongReceived() {
        if (liveness.awaitingPong() && pingMoment > seenMoment) {
            seenMoment = pingMoment;
        }
        liveness.pongReceived(ticker.nanos());
    }

    /**
     * Periodic liveness check: sends pings, closes silent clients and clients whose token expired,
     * cuts off writers that cannot finish.
     */
    void heartbeat(long now, Instant wallClock) {
        int s = state;
        if (s == CLOSING && liveness.closeOverdue(now)) {
            cutOff();
            return;
        }
        Principal p = principal;
        if (s == OPEN && p != null && wallClock.isAfter(p.expiresAt())) {
            send(new Outbound.Error(ErrorCode.AUTH_EXPIRED, "the token expired; send refresh with a new token before exp", null));
            close(CloseCode.UNAUTHORIZED, "token expired", true, null, false);
            return;
        }
        if (s != OPEN || !sink.expectsPong()) {
            return;
        }
        Liveness.Due due = liveness.check(now);
        if (due == Liveness.Due.IDLE_TIMEOUT) {
            close(CloseCode.IDLE_TIMEOUT, "idle timeout", true, null, false);
            return;
        }
        resendUnacknowledged(now);
        if (due == Liveness.Due.HEARTBEAT_TIMEOUT) {
            close(CloseCode.HEARTBEAT_TIMEOUT, liveness.silenceReason(), true, null, true);
        } else if (due == Liveness.Due.PING) {
            if (seenMoment >= 0) {
                pingMoment = events.moment(); // before the ping is queued: the client sees it after this moment
            }
            writer.add(new Outbound.Ping());
            writer.wake();
        }
    }

    /** Critical events whose ack is overdue go through the queue again (same event, same id); retries spent, they are given up. */
    private void resendUnacknowledged(long now) {
        PendingAcks.Overdue overdue = acks.overdue(now);
        metrics.criticalUnacknowledged(overdue.givenUp());
        for (Event event : overdue.resend()) {
            // Not live: a re-send must not count as delivery latency nor be dropped for a full queue.
            send(new Delivery(event, now, false));
        }
        metrics.criticalResent(overdue.resend().size());
    }

    /** The writer wrote critical {@code event}: its ack is now due. */
    void criticalWritten(Event event) {
        // Only clients that can send (WebSocket) can ack; SSE streams are not tracked.
        if (sink.expectsPong()) {
            metrics.criticalUnacknowledged(acks.written(event, ticker.nanos()));
        }
    }

    /**
     * The transport is open: the writer, held since the connection was made, sends what was queued (for
     * a WebSocket client registered before its upgrade was answered, once the {@code 101} is written).
     */
    public void transportOpened() {
        writer.start();
    }

    /** The writer is sending the close frame: should the transport never confirm it, the connection still ends with {@code code}. */
    void closeSending(int code) {
        closeCode = code;
    }

    /**
     * Ends the transport at once, without waiting for the writer, and reports the connection closed.
     *
     * @return false when it was closed already
     */
    boolean cutOff() {
        sink.abort();
        return markClosed(closeCode);
    }

    /**
     * The connection is over: its place in the limits is freed, what is queued is dropped, and the hub forgets it.
     *
     * @return false when it was closed already
     */
    boolean markClosed(int code) {
        if ((int) STATE.getAndSet(this, CLOSED) == CLOSED) {
            return false;
        }
        releaseSlot();
        closeCode = code;
        writer.discard();
        events.closed(this, code);
        return true;
    }

    @Override
    public String toString() {
        return "Connection[" + id + " " + spec.transport() + " " + spec.endpoint() + " from " + spec.remoteIp() + "]";
    }
}

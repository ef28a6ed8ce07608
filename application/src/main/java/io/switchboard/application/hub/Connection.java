package io.switchboard.application.hub;

import io.switchboard.application.auth.Principal;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.limits.Slot;
import io.switchboard.application.stats.HubMetrics;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ConnectionId;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.OverflowPolicy;
import io.switchboard.domain.RoomName;
import io.switchboard.domain.TokenBucket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connected client: its bounded outbound queue and single writer, its subscriptions, its
 * heartbeat and its inbound rate limit. Anyone may {@link #send}; only the writer touches the
 * transport, because a transport session is not safe for concurrent writes.
 */
public final class Connection {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final long RATE_WINDOW_NANOS = 10_000_000_000L;
    private static final int MAX_BATCH_CHARS = 64 * 1024;
    /** How many queued messages the writer takes at once (they leave the bounds while written). */
    private static final int WRITE_CHUNK = 32;
    private static final VarHandle STATE;
    private static final VarHandle WRITING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Connection.class, "state", int.class);
            WRITING = lookup.findVarHandle(Connection.class, "writing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConnectionId id = ConnectionId.random();
    private final ConnectionSpec spec;
    private final Instant openedAt;
    private final long openedNanos = System.nanoTime();
    private final FrameSink sink;
    private final MessageRenderer renderer;
    private final HubSettings settings;
    private final HubMetrics metrics;
    private final Executor writers;
    private final ConnectionEvents events;
    private final DeliveryRules rules;
    private final PendingAcks acks;
    private final OutboundQueue queue = new OutboundQueue();
    // Plain fields updated through VarHandles rather than Atomic* objects: the fan-out touches them
    // for every subscriber, and each separate object was one more cache miss (and 16+ bytes) per connection.
    private volatile int state = OPEN;
    private volatile boolean writing;
    /** Rooms whose {@code left} the writer has sent, until joined again; only the writer uses it (null: none). */
    private Set<String> leftRooms;
    private final AtomicLong droppedUnreported = new AtomicLong();
    private final Map<RoomName, Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile long lastActivityNanos = openedNanos;
    /** The client's last message (pongs answer our pings, so they do not count): for the idle timeout. */
    private volatile long lastMessageNanos = openedNanos;
    private volatile long closingSinceNanos;
    private volatile int closeCode = 1006;
    private volatile Principal principal;
    private volatile Slot slot;
    private volatile long pingSentNanos;
    private volatile long lastPongNanos = openedNanos;
    // Inbound state: touched only by the transport's reader.
    private final TokenBucket inboundBucket;
    private long violationWindowStart;
    private int violations;

    Connection(ConnectionSpec spec, Instant openedAt, FrameSink sink, MessageRenderer renderer, HubSettings settings,
               HubMetrics metrics, Executor writers, ConnectionEvents events, DeliveryRules rules) {
        this.spec = spec;
        this.principal = spec.principal();
        this.openedAt = openedAt;
        this.sink = sink;
        this.renderer = renderer;
        this.settings = settings;
        this.metrics = metrics;
        this.writers = writers;
        this.events = events;
        this.rules = rules;
        this.acks = new PendingAcks(rules, settings.outboundMaxMessages());
        this.inboundBucket = new TokenBucket(settings.inboundRatePerSecond(), settings.inboundBurst(), openedNanos);
    }

    /** What the hub is told about a connection's life. */
    interface ConnectionEvents {
        void closed(Connection connection, int code);

        /** A message was over the inbound rate; {@code closing} when that closes the connection. */
        void rateLimited(Connection connection, boolean closing);
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

    public Instant openedAt() {
        return openedAt;
    }

    /** Holds the connection's place in the connection limits until it ends. */
    public void holdSlot(Slot held) {
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
        Slot held = slot;
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
    public long idleMillis(long nowNanos) {
        return (nowNanos - lastActivityNanos) / 1_000_000;
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

    /** Queues a message for the client; never blocks. A full queue applies the overflow policy. */
    public void send(Outbound message) {
        if (state != OPEN) {
            return;
        }
        if (!queue.offer(message, settings.outboundMaxMessages(), settings.outboundMaxBytes()) && !overflow(message)) {
            return;
        }
        signalWriter();
    }

    /**
     * Queues a run of live deliveries with one lock and one writer wake-up (the fan-out of a publish of
     * many events); a delivery that does not fit goes the way of {@link #send(Outbound)}, overflow policy and all.
     */
    void send(List<Delivery> run) {
        if (state != OPEN) {
            return;
        }
        int queued = queue.offerAll(run, settings.outboundMaxMessages(), settings.outboundMaxBytes());
        for (int i = queued; i < run.size(); i++) {
            send(run.get(i));
        }
        if (queued > 0) {
            signalWriter();
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
        closingSinceNanos = System.nanoTime();
        if (discardQueued) {
            metrics.dropped(queue.clear());
        }
        queue.add(new Outbound.Disconnect(code, reason, reconnect, retryAfterMs));
        queue.add(new Outbound.Close(code, reason));
        signalWriter();
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

    /** The transport saw the connection end (the client closed, or the socket failed). */
    public void transportClosed(int code) {
        markClosed(code);
    }

    /** Rate-limits one inbound client message (call from the transport's reader only). */
    public InboundVerdict admitInbound() {
        long now = System.nanoTime();
        lastActivityNanos = now;
        lastMessageNanos = now;
        if (inboundBucket.tryTake(now)) {
            return InboundVerdict.ADMITTED;
        }
        metrics.rateLimited();
        if (now - violationWindowStart > RATE_WINDOW_NANOS) {
            violationWindowStart = now;
            violations = 0;
        }
        if (++violations >= settings.rateViolationsToClose()) {
            events.rateLimited(this, true);
            close(CloseCode.RATE_LIMITED, "rate limit exceeded repeatedly", true, null, true);
            return InboundVerdict.CLOSING;
        }
        if (violations == 1) {
            events.rateLimited(this, false);
        }
        send(new Outbound.Error(ErrorCode.RATE_LIMITED,
                "too many messages: at most " + formatRate(settings.inboundRatePerSecond()) + " per second", null));
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

    /** The client answered a ping. */
    public void pongReceived() {
        long now = System.nanoTime();
        lastPongNanos = now;
        lastActivityNanos = now;
        pingSentNanos = 0;
    }

    /**
     * Periodic liveness check: sends pings, closes silent clients and clients whose token expired,
     * cuts off writers that cannot finish.
     */
    void heartbeat(long now, Instant wallClock) {
        int s = state;
        if (s == CLOSING && now - closingSinceNanos > settings.closeGrace().toNanos()) {
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
        if (rules.idleTimeoutEnabled() && now - lastMessageNanos >= rules.idleTimeout().toNanos()) {
            close(CloseCode.IDLE_TIMEOUT, "idle timeout", true, null, false);
            return;
        }
        resendUnacknowledged(now);
        long sent = pingSentNanos;
        if (sent != 0) {
            if (now - sent > settings.heartbeatTimeout().toNanos()) {
                close(CloseCode.HEARTBEAT_TIMEOUT, "heartbeat timeout: no pong within "
                        + settings.heartbeatTimeout().toMillis() + " ms", true, null, true);
            }
        } else if (now - lastPongNanos >= settings.heartbeatInterval().toNanos()) {
            pingSentNanos = now;
            queue.add(new Outbound.Ping());
            signalWriter();
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

    private boolean overflow(Outbound message) {
        if (settings.overflowPolicy() == OverflowPolicy.DROP_OLDEST) {
            int dropped = 0;
            while (!queue.fits(message.approximateBytes(), settings.outboundMaxMessages(), settings.outboundMaxBytes())
                    && queue.dropOldestBounded()) {
                dropped++;
            }
            metrics.dropped(dropped);
            droppedUnreported.addAndGet(dropped);
            queue.add(message);
            return true;
        }
        metrics.dropped(1);
        metrics.slowConsumerClosed();
        close(CloseCode.SLOW_CONSUMER, "slow consumer: outbound queue full", true, null, true);
        return false;
    }

    /**
     * Keeps the writer from starting until {@link #release()}: a new client must not see
     * {@code connected} before the rooms it is joined to on connect can hear events.
     */
    void hold() {
        writing = true;
    }

    /**
     * The transport is open: the writer may send what was queued while {@link #hold() held} (for a
     * WebSocket client registered before its upgrade was answered, once the {@code 101} is written).
     */
    public void transportOpened() {
        writers.execute(this::drain);
    }

    private void signalWriter() {
        // A plain read first: while the writer runs (most of the time under load) no locked instruction is needed.
        if (!writing && WRITING.compareAndSet(this, false, true)) {
            writers.execute(this::drain);
        }
    }

    private void drain() {
        do {
            try {
                writeQueued();
            } catch (RuntimeException e) {
                abortAfterWriteFailure(e);
            } finally {
                writing = false;
            }
        } while (state != CLOSED && !queue.isEmpty() && WRITING.compareAndSet(this, false, true));
    }

    /**
     * The transport failed under the writer (or the writer itself did): the socket is cut so the client
     * sees the end and reconnects, rather than staying connected to a connection the hub forgot.
     */
    private void abortAfterWriteFailure(RuntimeException failure) {
        if (state != CLOSED) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + ": writing failed, closing: " + failure);
            try {
                sink.abort();
            } catch (RuntimeException ignored) {
                // the transport is gone already
            }
        }
        markClosed(1006);
    }

    private void writeQueued() {
        BatchedFrames batch = spec.batch() ? new BatchedFrames() : null;
        Outbound[] taken = new Outbound[WRITE_CHUNK];
        int count;
        while (state != CLOSED && (count = queue.pollInto(taken)) > 0) {
            for (int i = 0; i < count; i++) {
                Outbound message = taken[i];
                taken[i] = null;
                if (state == CLOSED) {
                    return;
                }
                if (!writeOne(message, batch)) {
                    return;
                }
            }
        }
        flush(batch);
        sink.flush();
    }

    /** Writes one message; {@code false} when it closed the connection. */
    private boolean writeOne(Outbound message, BatchedFrames batch) {
        long dropped = droppedUnreported.get() == 0 ? 0 : droppedUnreported.getAndSet(0);
        if (dropped > 0) {
            write(Frame.of(renderer.render(new Outbound.Error(ErrorCode.SLOW_CONSUMER,
                    dropped + " message(s) dropped: the client reads too slowly", null, dropped))), batch);
        }
        if (message instanceof Outbound.Ping) {
            flush(batch);
            sink.ping();
        } else if (message instanceof Outbound.PingReply reply) {
            flush(batch);
            sink.pong(reply.payload());
        } else if (message instanceof Outbound.Close close) {
            flush(batch);
            sink.flush();
            closeCode = close.code();
            sink.close(close.code(), close.reason());
            markClosed(close.code());
            return false;
        } else {
            if (!stillInRoom(message)) {
                return true;
            }
            String text = renderer.render(message);
            write(message instanceof Delivery delivery ? delivery.shared(text) : Frame.of(text), batch);
            if (message instanceof Delivery delivery) {
                metrics.delivered(delivery);
                if (delivery.event().critical() && sink.expectsPong()) {
                    // Only clients that can send (WebSocket) can ack; SSE streams are not tracked.
                    metrics.criticalUnacknowledged(acks.written(delivery.event(), System.nanoTime()));
                }
            }
        }
        return true;
    }

    /**
     * Whether {@code message} may still go out: after {@code left} for a room (the client's leave, or
     * a revocation) no event of that room does, even one a fan-out queued just after the subscription
     * ended, until the room is joined again ({@code joined} or {@code state} goes out first). Only the
     * writer calls this, in queue order.
     */
    private boolean stillInRoom(Outbound message) {
        switch (message) {
            case Delivery delivery -> {
                return leftRooms == null || !leftRooms.contains(delivery.event().room().value());
            }
            case Outbound.Left left -> {
                if (leftRooms == null) {
                    leftRooms = new HashSet<>();
                }
                leftRooms.add(left.room());
            }
            case Outbound.Joined joined -> {
                if (leftRooms != null) {
                    leftRooms.remove(joined.room());
                }
            }
            case Outbound.State state -> {
                if (leftRooms != null) {
                    leftRooms.remove(state.room());
                }
            }
            default -> {
            }
        }
        return true;
    }

    private void write(Frame frame, BatchedFrames batch) {
        if (batch == null) {
            sink.text(frame);
            return;
        }
        if (!batch.fits(frame, MAX_BATCH_CHARS)) {
            batch.writeTo(sink);
        }
        batch.add(frame);
    }

    private void flush(BatchedFrames batch) {
        if (batch != null) {
            batch.writeTo(sink);
        }
    }

    private boolean markClosed(int code) {
        if ((int) STATE.getAndSet(this, CLOSED) == CLOSED) {
            return false;
        }
        releaseSlot();
        closeCode = code;
        queue.clear();
        events.closed(this, code);
        return true;
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    @Override
    public String toString() {
        return "Connection[" + id + " " + spec.transport() + " " + spec.endpoint() + " from " + spec.remoteIp() + "]";
    }
}

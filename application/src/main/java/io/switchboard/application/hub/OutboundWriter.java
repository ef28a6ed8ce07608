package io.switchboard.application.hub;

import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.OverflowPolicy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection's bounded outbound queue and its single writer. Anyone may queue; one task at a time
 * on the writer's executor renders what is queued with the endpoint's dialect and hands the frames to
 * the transport, because a transport session is not safe for concurrent writes.
 */
final class OutboundWriter {
    private static final System.Logger LOG = System.getLogger(OutboundWriter.class.getName());
    private static final int MAX_BATCH_CHARS = 64 * 1024;
    /** How many queued messages the writer takes at once (they leave the bounds while written). */
    private static final int WRITE_CHUNK = 32;
    private static final VarHandle WRITING;

    static {
        try {
            WRITING = MethodHandles.lookup().findVarHandle(OutboundWriter.class, "writing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Connection connection;
    private final FrameSink sink;
    private final MessageRenderer renderer;
    private final HubSettings settings;
    private final HubMetrics metrics;
    private final Executor executor;
    private final OutboundQueue queue = new OutboundQueue();
    // A plain field updated through a VarHandle rather than an AtomicBoolean: the fan-out reads it for
    // every subscriber, and a separate object was one more cache miss (and 16+ bytes) per connection.
    // It starts set: the writer is held until the transport is open ({@link #start()}), so that a new
    // client does not see {@code connected} before the rooms it joins on connect can hear events.
    private volatile boolean writing = true;
    private final AtomicLong droppedUnreported = new AtomicLong();
    /** Rooms whose {@code left} the writer has sent, until joined again; only the writer uses it (null: none). */
    private Set<String> leftRooms;

    OutboundWriter(Connection connection, FrameSink sink, MessageRenderer renderer, HubSettings settings, HubMetrics metrics,
                   Executor executor) {
        this.connection = connection;
        this.sink = sink;
        this.renderer = renderer;
        this.settings = settings;
        this.metrics = metrics;
        this.executor = executor;
    }

    /**
     * Queues {@code message} if it fits the bounds; with {@code drop-oldest}, older bounded messages
     * make room for it (the client is told how many went with its next frame).
     *
     * @return {@code false} when the queue is full and the policy is to disconnect: nothing was queued
     */
    boolean offer(Outbound message) {
        if (queue.offer(message, settings.outboundMaxMessages(), settings.outboundMaxBytes())) {
            return true;
        }
        if (settings.overflowPolicy() != OverflowPolicy.DROP_OLDEST) {
            return false;
        }
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

    /** Queues the longest prefix of {@code run} that fits the bounds, under one lock; returns how many. */
    int offerAll(List<Delivery> run) {
        return queue.offerAll(run, settings.outboundMaxMessages(), settings.outboundMaxBytes());
    }

    /** Queues a message outside the bounds (a ping, the close). */
    void add(Outbound message) {
        queue.add(message);
    }

    /** Empties the queue; returns how many bounded messages were discarded. */
    int discard() {
        return queue.clear();
    }

    /** Starts the writer unless it runs (or has not {@link #start() started}); call after queueing. */
    void wake() {
        // A plain read first: while the writer runs (most of the time under load) no locked instruction is needed.
        if (!writing && WRITING.compareAndSet(this, false, true)) {
            executor.execute(this::drain);
        }
    }

    /** The transport is open: the writer sends what was queued meanwhile. */
    void start() {
        executor.execute(this::drain);
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
        } while (!connection.finished() && !queue.isEmpty() && WRITING.compareAndSet(this, false, true));
    }

    /**
     * The transport failed under the writer (or the writer itself did): the socket is cut so the client
     * sees the end and reconnects, rather than staying connected to a connection the hub forgot.
     */
    private void abortAfterWriteFailure(RuntimeException failure) {
        if (!connection.finished()) {
            LOG.log(System.Logger.Level.DEBUG, () -> connection + ": writing failed, closing: " + failure);
            try {
                sink.abort();
            } catch (RuntimeException ignored) {
                // the transport is gone already
            }
        }
        connection.markClosed(1006);
    }

    private void writeQueued() {
        BatchedFrames batch = connection.spec().batch() ? new BatchedFrames() : null;
        Outbound[] taken = new Outbound[WRITE_CHUNK];
        int count;
        while (!connection.finished() && (count = queue.pollInto(taken)) > 0) {
            for (int i = 0; i < count; i++) {
                Outbound message = taken[i];
                taken[i] = null;
                if (connection.finished()) {
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
            connection.closeSending(close.code());
            sink.close(close.code(), close.reason());
            connection.markClosed(close.code());
            connection.closeWritten();
            return false;
        } else {
            if (!stillInRoom(message)) {
                return true;
            }
            String text = renderer.render(message);
            write(message instanceof Delivery delivery ? delivery.shared(text) : Frame.of(text), batch);
            if (message instanceof Delivery delivery) {
                metrics.delivered(delivery);
                if (delivery.event().critical() && renderer.acks()) {
                    connection.criticalWritten(delivery.event());
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
}

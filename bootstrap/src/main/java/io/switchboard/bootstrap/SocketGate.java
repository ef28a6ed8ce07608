package io.switchboard.bootstrap;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.switchboard.application.hub.HubMetrics;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every socket the listener accepts, from its accept until it closes (SPEC 15). Beyond
 * {@code hub.limits.max-sockets} a new socket is closed at once, so unauthenticated sockets that send
 * nothing can never use up the process's file descriptors (which stops Helidon's listener for good);
 * one that has not sent a complete request head (or upgrade) within {@code hub.limits.handshake-timeout}
 * is closed by {@link #sweep()}.
 *
 * <p>It is the listener's socket options — Helidon calls {@link #configureSocket(SocketChannel)} on
 * the accept thread for each accepted socket, and closes the socket and goes on accepting when that
 * throws — and an HTTP/1 receive listener, told when a request's headers have been read.
 */
final class SocketGate implements SocketOptions, Http1ConnectionListener {
    private static final System.Logger LOG = System.getLogger(SocketGate.class.getName());
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final SocketOptions options;
    private final int cap;
    private final long handshakeNanos;
    private final HubMetrics metrics;
    private final Map<SocketAddress, Accepted> open = new ConcurrentHashMap<>();
    private final AtomicLong lastRefusalLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    /** One accepted socket; {@code headed} once a request head came in on it. */
    private static final class Accepted {
        final SocketChannel channel;
        final long acceptedNanos = System.nanoTime();
        volatile boolean headed;

        Accepted(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * @param options the socket options to apply to each accepted socket
     * @param cap     open sockets at most (0: no cap)
     */
    SocketGate(SocketOptions options, int cap, Duration handshakeTimeout, HubMetrics metrics) {
        this.options = options;
        this.cap = cap;
        this.handshakeNanos = handshakeTimeout.toNanos();
        this.metrics = metrics;
        metrics.countOpenSockets(open::size);
    }

    @Override
    public void configureSocket(SocketChannel socket) {
        if (cap > 0 && open.size() >= cap) {
            forgetClosed();
            if (open.size() >= cap) {
                refuse();
            }
        }
        options.configureSocket(socket);
        try {
            open.put(socket.getRemoteAddress(), new Accepted(socket));
        } catch (IOException e) {
            throw new IllegalStateException("the socket closed at its accept", e);
        }
    }

    /** The request head is complete: this socket is past its handshake. */
    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Accepted accepted = open.get(ctx.remotePeer().address());
        if (accepted != null) {
            accepted.headed = true;
        }
    }

    /** Closes the sockets that have not sent a request head in time and forgets the closed ones. Call every second or so. */
    void sweep() {
        long now = System.nanoTime();
        open.values().removeIf(accepted -> {
            if (!accepted.channel.isOpen()) {
                return true;
            }
            if (handshakeNanos > 0 && !accepted.headed && now - accepted.acceptedNanos > handshakeNanos) {
                metrics.handshakeTimedOut();
                try {
                    accepted.channel.close(); // the connection's reader sees the socket closed and ends
                } catch (IOException e) {
                    // closed already
                }
                return true;
            }
            return false;
        });
    }

    private void forgetClosed() {
        open.values().removeIf(accepted -> !accepted.channel.isOpen());
    }

    private void refuse() {
        metrics.socketRefused();
        long now = System.nanoTime();
        long last = lastRefusalLogged.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastRefusalLogged.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "socket refused: {0} sockets are open, the cap (hub.limits.max-sockets); "
                    + "{1} refused so far", String.valueOf(open.size()), String.valueOf(metrics.socketsRefused()));
        }
        // Helidon closes the socket and goes on accepting; it logs this only at TRACE.
        throw new IllegalStateException("socket cap reached");
    }

    @Override
    public void configureSocket(Socket socket) {
        options.configureSocket(socket);
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return options.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return options.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return options.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return options.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return options.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return options.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return options.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return options.tcpNoDelay();
    }
}

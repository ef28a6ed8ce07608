package io.switchboard.adapters.websocket;

import io.helidon.common.Weight;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Fills four gaps of Helidon 4.0.5's WebSocket upgrade; chosen over the stock upgrader by its weight.
 * It writes the socket's peer address into the upgrade headers (replacing anything a client sent
 * under that name) before the listener's {@code onHttpUpgrade} runs, and it tells the listener when
 * the connection's handling ends: Helidon does not call {@code onClose} when a client vanishes
 * without a close frame or breaks its frame limit, and the hub must not keep counting it. It shrinks
 * the connection's fixed-size buffers ({@link ConnectionBuffers}), and it lets frames with an empty
 * payload through without waiting for more bytes ({@link EmptyPayloadReader}).
 */
@Weight(200)
public class PeerAwareUpgradeProvider extends WsUpgradeProvider {
    static final HeaderName PEER = HeaderNames.create("X-Switchboard-Peer");
    /** {@code true} when the peer is on this machine (set by the server, whatever the client sent). */
    static final HeaderName PEER_LOOPBACK = HeaderNames.create("X-Switchboard-Peer-Loopback");

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new PeerAwareUpgrader(config);
    }

    private static final class PeerAwareUpgrader extends WsUpgrader {
        PeerAwareUpgrader(WsConfig config) {
            super(config);
        }

        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            headers.set(HeaderValues.create(PEER, ctx.remotePeer().host()));
            headers.set(HeaderValues.create(PEER_LOOPBACK, String.valueOf(
                    ctx.remotePeer().address() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                            && inet.getAddress().isLoopbackAddress())));
            try {
                ServerConnection connection = super.upgrade(ctx, prologue, headers);
                if (connection != null) {
                    ConnectionBuffers.shrink(ctx, connection);
                    EmptyPayloadReader.install(connection);
                }
                HubListener socket = UPGRADING.get();
                return connection == null || socket == null ? connection : new EndAware(connection, socket);
            } finally {
                UPGRADING.remove();
            }
        }
    }

    /** The listener whose {@code onHttpUpgrade} accepted the upgrade running on this thread. */
    private static final ThreadLocal<HubListener> UPGRADING = new ThreadLocal<>();

    static void upgrading(HubListener socket) {
        UPGRADING.set(socket);
    }

    private record EndAware(ServerConnection delegate, HubListener socket) implements ServerConnection {
        @Override
        public void handle(Semaphore requestSemaphore) throws InterruptedException {
            try {
                delegate.handle(requestSemaphore);
            } finally {
                socket.transportEnded();
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }
}

package io.switchboard.adapters.websocket;

import io.helidon.common.Weight;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsSession;

import java.time.Duration;

/**
 * The hub's WebSocket upgrade, chosen over Helidon's stock upgrader by its weight. It differs in four
 * ways, all through Helidon's public API:
 * <ul>
 *   <li>it writes the socket's peer address into the upgrade headers (replacing anything a client sent
 *       under that name) before the listener's {@code onHttpUpgrade} runs: Helidon hands the listener
 *       no client address;</li>
 *   <li>it leaves the Origin check to the hub: since 4.4.1 Helidon refuses (403, before the listener
 *       runs) every Origin whose authority differs from {@code Host} when no origins are configured in
 *       Helidon, which would refuse the cross-origin browsers the hub's own allow-list admits, without
 *       an audit entry or a JSON body;</li>
 *   <li>it hands Helidon's WebSocket connection a reader that checks RFC 6455's frame rules and the frame
 *       length limit first ({@link CheckedFrames}), through the public {@code ConnectionContext} it passes
 *       to the upgrade;</li>
 *   <li>it tells the listener when the connection's handling ends: Helidon does not call {@code onClose}
 *       when a client vanishes without a close frame or breaks its frame limit, and the hub must not keep
 *       counting it.</li>
 * </ul>
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
        private final int maxFrameLength;

        PeerAwareUpgrader(WsConfig config) {
            super(config);
            this.maxFrameLength = config.maxFrameLength();
        }

        /** Every Origin passes here; {@code UpgradeGate} checks it against the hub's allow-list. */
        @Override
        protected void validateOrigin(Headers headers, String origin) {
        }

        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            headers.set(HeaderValues.create(PEER, ctx.remotePeer().host()));
            headers.set(HeaderValues.create(PEER_LOOPBACK, String.valueOf(
                    ctx.remotePeer().address() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                            && inet.getAddress().isLoopbackAddress())));
            ServerConnection connection = null;
            CheckedFrames frames = new CheckedFrames(ctx.dataReader(), ctx.remotePeer().host(), maxFrameLength);
            try {
                connection = super.upgrade(new CheckedContext(ctx, frames), prologue, headers);
                HubListener socket = UPGRADING.get();
                if (connection == null || socket == null) {
                    return connection;
                }
                frames.watch((WsSession) connection, socket);
                return new EndAware(connection, socket);
            } finally {
                HubListener socket = UPGRADING.get();
                UPGRADING.remove();
                if (connection == null && socket != null) {
                    socket.transportEnded(1006); // accepted by the listener, but the 101 could not be written
                }
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
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                socket.transportEnded(1006);
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

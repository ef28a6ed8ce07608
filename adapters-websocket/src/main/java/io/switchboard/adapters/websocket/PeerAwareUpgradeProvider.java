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

/**
 * Helidon 4.0.5 does not tell a {@code WsListener} the client's address. This upgrader (chosen over
 * the stock one by its weight) writes the socket's peer address into the upgrade headers, replacing
 * anything a client sent under that name, before the listener's {@code onHttpUpgrade} runs.
 */
@Weight(200)
public class PeerAwareUpgradeProvider extends WsUpgradeProvider {
    static final HeaderName PEER = HeaderNames.create("X-Switchboard-Peer");

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
            return super.upgrade(ctx, prologue, headers);
        }
    }
}

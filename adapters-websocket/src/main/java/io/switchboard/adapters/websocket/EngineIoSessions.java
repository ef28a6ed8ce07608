package io.switchboard.adapters.websocket;

import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.ConnectRequest;

/** What every Engine.IO session shares, whichever carrier it starts on (WebSocket or long-polling). */
record EngineIoSessions(Hub hub, SocketIoSettings settings, AdmitConnectionUseCase admissions, CanonicalDialect canonical,
                        SocketIoEvents events) {

    /** A new session for a client at {@code peer}, not yet admitted ({@link EngineIoSession#admit()}). */
    EngineIoSession open(String peer, String origin, String token, ConnectRequest.Door door) {
        return new EngineIoSession(hub, settings, admissions, canonical, events, peer, origin, token, door);
    }
}

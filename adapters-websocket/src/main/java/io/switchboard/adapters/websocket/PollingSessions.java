package io.switchboard.adapters.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The long-polling sessions of this node by {@code sid} (the connection id), from the handshake until
 * the transport ends or the client upgrades to WebSocket. Held in memory: behind several nodes a
 * client's requests must reach the node that holds its session (sticky sessions).
 */
final class PollingSessions {
    private final Map<String, PollingSession> sessions = new ConcurrentHashMap<>();

    void add(String sid, PollingSession session) {
        sessions.put(sid, session);
    }

    PollingSession get(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    void remove(String sid) {
        sessions.remove(sid);
    }
}

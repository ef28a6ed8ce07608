package io.switchboard.adapters.websocket;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Socket.IO client on long-polling: its session, the sink its GETs read, and whether a GET or a
 * POST is in progress (Engine.IO allows one of each at a time).
 */
record PollingSession(EngineIoSession session, PollingSink sink, AtomicBoolean getting, AtomicBoolean posting) {
    PollingSession(EngineIoSession session, PollingSink sink) {
        this(session, sink, new AtomicBoolean(), new AtomicBoolean());
    }
}

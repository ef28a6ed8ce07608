package io.switchboard.adapters.websocket;

import io.switchboard.application.hub.Frame;
import io.switchboard.application.hub.FrameSink;

/**
 * Writes Engine.IO packets to one WebSocket session: a rendered message may hold several packets
 * (split at {@link EngineIoPacket#SEPARATOR}), each its own frame. The hub's heartbeat ping is the
 * Engine.IO ping {@code 2}, which socket.io-client answers with {@code 3} and expects on schedule;
 * a WebSocket ping frame would go unnoticed by it.
 */
final class SocketIoSink implements FrameSink {
    private final SessionSink session;

    SocketIoSink(SessionSink session) {
        this.session = session;
    }

    @Override
    public void text(Frame frame) {
        String text = frame.text();
        int first = text.indexOf(EngineIoPacket.SEPARATOR);
        if (first < 0) {
            if (!text.isEmpty()) {
                session.text(frame); // one packet: its encoding is shared with the other subscribers
            }
            return;
        }
        int start = 0;
        for (int i = first; i >= 0; i = text.indexOf(EngineIoPacket.SEPARATOR, start)) {
            send(text.substring(start, i));
            start = i + 1;
        }
        send(text.substring(start));
    }

    private void send(String packet) {
        if (!packet.isEmpty()) {
            session.text(packet);
        }
    }

    /** The session gathers frames until this (see {@link SessionSink}). */
    @Override
    public void flush() {
        session.flush();
    }

    @Override
    public void ping() {
        session.text(EngineIoPacket.ping());
    }

    @Override
    public void pong(byte[] payload) {
        session.pong(payload);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason);
    }

    @Override
    public void abort() {
        session.abort();
    }
}

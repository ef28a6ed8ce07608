package io.switchboard.adapters.websocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three workarounds that reach into Helidon's WebSocket connection by reflection find what they
 * need in the Helidon this project builds with. Each falls back quietly at run time (a log line), so
 * without this a Helidon upgrade would lose gathered writes, the smaller buffers or the empty-payload
 * fix without any test failing.
 */
class HelidonInternalsTest {

    @Test
    void gatheredWritesFindTheConnectionsSocketWriter() {
        assertTrue(SessionSink.gathersWrites(), "WsConnection.ctx");
    }

    @Test
    void theBufferShrinkFindsBothBuffers() {
        assertTrue(ConnectionBuffers.installable(), "DataReader.bytesSupplier, PlainSocket.readBuffer, WsConnection.sendBuffer");
    }

    @Test
    void theEmptyPayloadReaderFindsTheConnectionsReader() {
        assertTrue(EmptyPayloadReader.installable(), "WsConnection.dataReader");
    }
}

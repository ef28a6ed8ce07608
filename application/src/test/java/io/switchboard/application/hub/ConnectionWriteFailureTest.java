package io.switchboard.application.hub;

import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A transport that fails under the connection's writer ends the connection for the client too. */
class ConnectionWriteFailureTest {

    @Test
    void aWriterWhoseTransportThrowsCutsTheSocketAndTheHubForgetsTheConnection() {
        Hub hub = new Hub(HubHeartbeatTest.SETTINGS, RoomAccess.open(), null, null, new AuditTrail(new HubHeartbeatTest.NoAudit(), Clock.systemUTC()), null,
                Clock.systemUTC(), new HubMetrics(), Runnable::run);
        AtomicInteger aborts = new AtomicInteger();
        FrameSink failing = new HubHeartbeatTest.RecordingSink(false) {
            @Override
            public void text(Frame frame) {
                throw new IllegalStateException("broken pipe");
            }

            @Override
            public void abort() {
                aborts.incrementAndGet();
            }
        };
        Connection connection = hub.open(HubHeartbeatTest.spec(), failing, message -> "frame", Runnable::run);

        connection.send(new Outbound.Error(ErrorCode.MESSAGE_INVALID, "anything", null));

        assertTrue(connection.finished(), "the connection is over");
        assertEquals(1, aborts.get(), "the socket was cut, so the client sees the end instead of a silent connection");
        assertEquals(0, hub.connections().size());
    }
}

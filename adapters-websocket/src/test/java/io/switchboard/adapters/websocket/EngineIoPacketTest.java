package io.switchboard.adapters.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Engine.IO 4 packets as long-polling frames them: the handshake, a body's packets, what the hub refuses. */
class EngineIoPacketTest {

    @Test
    void aLongPollingBodyIsItsPacketsJoinedByTheRecordSeparator() {
        assertEquals(List.of("40", "42[\"join\",\"a\"]", "3"), EngineIoPacket.split("40\u001e42[\"join\",\"a\"]\u001e3"));
        assertEquals(List.of("2"), EngineIoPacket.split("2"));
        assertEquals(List.of(), EngineIoPacket.split(""), "an empty body holds no packet");
        assertEquals(List.of("3", ""), EngineIoPacket.split("3\u001e"), "a trailing separator leaves an empty packet, which is refused");
    }

    @Test
    void packetsThatAreNotEngineIoOnesAreNamed() {
        for (String good : List.of("0", "1", "2", "3", "40", "42[\"x\"]", "5", "6")) {
            assertNull(EngineIoPacket.malformed(good), good);
        }
        assertTrue(EngineIoPacket.malformed("").contains("empty"));
        assertTrue(EngineIoPacket.malformed("bAQID").contains("binary"));
        assertTrue(EngineIoPacket.malformed("7").contains("type digit"));
        assertTrue(EngineIoPacket.malformed("{\"type\":\"join\"}").contains("type digit"));
    }

    @Test
    void theHandshakeOffersTheUpgradeOnlyToALongPollingClient() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String polling = EngineIoPacket.open("s1", true, 25000, 20000, 4096);
        assertEquals('0', polling.charAt(0));
        var open = json.readTree(polling.substring(1));
        assertEquals("s1", open.get("sid").asText());
        assertEquals("[\"websocket\"]", open.get("upgrades").toString());
        assertEquals(25000, open.get("pingInterval").asLong());
        assertEquals(20000, open.get("pingTimeout").asLong());
        assertEquals(4096, open.get("maxPayload").asLong());
        var websocket = json.readTree(EngineIoPacket.open("s2", false, 25000, 20000, 4096).substring(1));
        assertNotNull(websocket.get("upgrades"));
        assertEquals(0, websocket.get("upgrades").size());
    }
}

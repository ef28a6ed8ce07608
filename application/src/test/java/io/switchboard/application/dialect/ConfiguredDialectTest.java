package io.switchboard.application.dialect;

import io.switchboard.application.port.Template;
import io.switchboard.application.hub.Delivery;
import io.switchboard.application.hub.Outbound;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact frames of each envelope, renames and connected templates; the canonical dialect as the reference. */
class ConfiguredDialectTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String TS = "\"timestamp\":\"2026-11-23T10:00:00.123Z\"";

    private static Event event(String data, Map<String, String> meta, boolean critical) {
        return new Event(new EventId(42), new RoomName("user:1"), "task_update", data, NOW, meta, critical, null);
    }

    private static DialectSpec spec(DialectSpec.Envelope envelope, DialectSpec.Envelope control) {
        Map<String, Template> connected = new LinkedHashMap<>();
        connected.put("userId", Template.of("{userId|number}"));
        connected.put("label", Template.of("user {userId} on {connectionId}"));
        return new DialectSpec(envelope, control, Map.of("connected", "connection_success"), connected, null, null, null,
                Map.of(ErrorCode.FORBIDDEN, "SUBSCRIPTION_FAILED"));
    }

    private static String render(DialectSpec spec, Event event) {
        return new ConfiguredDialect(spec, CLOCK).render(new Delivery(event, 0, true));
    }

    @Test
    void theDataEnvelopeOfAnEmptySpecIsExactlyTheCanonicalProtocol() {
        Event e = event("{\"a\":1}", Map.of("kind", "x"), false);
        String canonical = new CanonicalDialect(CLOCK).render(new Delivery(e, 0, true));
        assertEquals("{\"type\":\"task_update\",\"room\":\"user:1\",\"id\":\"42\",\"data\":{\"a\":1}," + TS + ",\"kind\":\"x\"}", canonical);
        assertEquals(canonical, render(DialectSpec.CANONICAL, e));
        Outbound.Joined joined = new Outbound.Joined("user:1", null, "41", null, null);
        assertEquals(new CanonicalDialect(CLOCK).render(joined), new ConfiguredDialect(DialectSpec.CANONICAL, CLOCK).render(joined));
    }

    @Test
    void payloadAndFlatEnvelopes() {
        Event e = event("{\"a\":1,\"room\":\"spoof\",\"kind\":\"spoof\",\"nested\":{\"b\":[1,{\"c\":\"}\"}]}}", Map.of("kind", "x"), true);
        assertEquals("{\"type\":\"task_update\",\"room\":\"user:1\",\"id\":\"42\",\"payload\":{\"a\":1,\"room\":\"spoof\",\"kind\":\"spoof\","
                + "\"nested\":{\"b\":[1,{\"c\":\"}\"}]}}," + TS + ",\"kind\":\"x\",\"ack\":true}",
                render(spec(DialectSpec.Envelope.PAYLOAD, DialectSpec.Envelope.PAYLOAD), e));
        assertEquals("{\"type\":\"task_update\",\"a\":1,\"nested\":{\"b\":[1,{\"c\":\"}\"}]}," + TS
                + ",\"room\":\"user:1\",\"id\":\"42\",\"kind\":\"x\",\"ack\":true}",
                render(spec(DialectSpec.Envelope.FLAT, DialectSpec.Envelope.FLAT), e), "the envelope and meta win over data fields");
        assertEquals("{\"type\":\"task_update\",\"data\":[1,2]," + TS + ",\"room\":\"user:1\",\"id\":\"42\"}",
                render(spec(DialectSpec.Envelope.FLAT, DialectSpec.Envelope.FLAT), event("[1,2]", Map.of(), false)));
        assertEquals("{\"type\":\"task_update\",\"say\":\"a \\\"quoted\\\" \\u00e9\"," + TS + ",\"room\":\"user:1\",\"id\":\"42\"}",
                render(spec(DialectSpec.Envelope.FLAT, DialectSpec.Envelope.FLAT), event("{ \"s\\u0061y\" : \"a \\\"quoted\\\" \\u00e9\" }",
                        Map.of(), false)), "names are decoded, values kept as they are");
    }

    @Test
    void connectedTemplatesRenamedTypesAndErrorCodes() {
        ConfiguredDialect dialect = new ConfiguredDialect(spec(DialectSpec.Envelope.FLAT, DialectSpec.Envelope.PAYLOAD), CLOCK);
        Outbound.Connected connected = new Outbound.Connected("c-1", "sub-7", List.of(), 30_000, 10_000);
        assertEquals("{\"type\":\"connection_success\",\"payload\":{\"userId\":17,\"label\":\"user 17 on c-1\"}," + TS + "}",
                dialect.forConnection(Map.of("userId", "17")).render(connected), "a path parameter wins over the subject");
        assertEquals("{\"type\":\"connection_success\",\"payload\":{\"userId\":\"sub-7\",\"label\":\"user sub-7 on c-1\"}," + TS + "}",
                dialect.render(connected), "|number only writes numbers");
        assertEquals("{\"type\":\"connection_success\",\"payload\":{\"userId\":null,\"label\":\"user  on c-1\"}," + TS + "}",
                dialect.render(new Outbound.Connected("c-1", null, List.of(), 1, 1)), "an anonymous client");
        assertEquals("{\"type\":\"error\",\"payload\":{\"code\":\"SUBSCRIPTION_FAILED\",\"message\":\"no\",\"ref\":\"r\"}," + TS + "}",
                dialect.render(new Outbound.Error(ErrorCode.FORBIDDEN, "no", "r")));
        assertEquals("{\"type\":\"error\",\"code\":\"MESSAGE_INVALID\",\"message\":\"bad\"," + TS + "}",
                new ConfiguredDialect(spec(DialectSpec.Envelope.FLAT, DialectSpec.Envelope.FLAT), CLOCK)
                        .render(new Outbound.Error(ErrorCode.MESSAGE_INVALID, "bad", null)));
    }

    @Test
    void onlyTheHubsOwnMessageTypesMayBeRenamed() {
        assertThrows(IllegalArgumentException.class, () -> new DialectSpec(DialectSpec.Envelope.DATA, DialectSpec.Envelope.DATA,
                Map.of("task_update", "x"), Map.of(), null, null, null, Map.of()));
    }

    @Test
    void aDialectWithoutAcksWritesCriticalEventsWithoutTheAckFlag() {
        DialectSpec noAcks = new DialectSpec(DialectSpec.Envelope.DATA, DialectSpec.Envelope.DATA, Map.of(), Map.of(), null, null, null,
                Map.of(), false, null);
        Event critical = event("{\"a\":1}", Map.of(), true);
        assertEquals("{\"type\":\"task_update\",\"room\":\"user:1\",\"id\":\"42\",\"data\":{\"a\":1}," + TS + "}", render(noAcks, critical));
        assertFalse(new ConfiguredDialect(noAcks, CLOCK).acks());
        assertFalse(new ConfiguredDialect(noAcks, CLOCK).forConnection(Map.of()).acks());
        assertTrue(new ConfiguredDialect(spec(DialectSpec.Envelope.DATA, DialectSpec.Envelope.DATA), CLOCK).forConnection(Map.of()).acks());
    }

    @Test
    void aStatusMessageFollowsConnectedAndCarriesTheDisconnectNotice() {
        DialectSpec status = new DialectSpec(DialectSpec.Envelope.PAYLOAD, DialectSpec.Envelope.PAYLOAD, Map.of(), Map.of(), null, null,
                null, Map.of(), true, "connection_status");
        ConfiguredDialect dialect = new ConfiguredDialect(status, CLOCK);
        assertTrue(dialect.forConnection(Map.of()).announcesConnectionState());
        assertEquals("{\"type\":\"connection_status\",\"payload\":{\"status\":\"connected\",\"message\":\"Connection established successfully\"},"
                + TS + "}", dialect.render(new Outbound.ConnectionState("connected", "Connection established successfully")));
        assertEquals("{\"type\":\"connection_status\",\"payload\":{\"status\":\"reconnecting\",\"message\":\"server shutting down\","
                + "\"code\":1001,\"reconnect\":true,\"retryAfterMs\":250}," + TS + "}",
                dialect.render(new Outbound.Disconnect(1001, "server shutting down", true, 250L)));
        assertEquals("{\"type\":\"connection_status\",\"payload\":{\"status\":\"disconnected\",\"message\":\"kicked\","
                + "\"code\":4500,\"reconnect\":false}," + TS + "}", dialect.render(new Outbound.Disconnect(4500, "kicked", false, null)));
        assertFalse(new ConfiguredDialect(DialectSpec.CANONICAL, CLOCK).announcesConnectionState());
    }
}

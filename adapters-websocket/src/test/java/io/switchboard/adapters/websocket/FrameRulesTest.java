package io.switchboard.adapters.websocket;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame rules on byte streams cut at every possible place, as sockets deliver them. */
class FrameRulesTest {

    @Test
    void wellFormedStreamsPassHoweverTheyAreCut() {
        byte[] stream = concat(frame(0x1, false, utf8("{\"a\":\"✓")), frame(0x9, true, utf8("hb")),
                frame(0x0, true, utf8("🚀\"}")), frame(0x2, true, new byte[] {(byte) 0xFF}), frame(0x8, true, new byte[] {0x03, (byte) 0xE8}),
                frame(0x1, true, new byte[200]));
        FrameRules rules = new FrameRules();
        for (byte b : stream) {
            assertTrue(rules.feed(b), () -> String.valueOf(rules.violation()));
        }
        assertNull(rules.violation());
    }

    @Test
    void theUtf8CheckRefusesOverlongsSurrogatesAndValuesPastTheLastCodePoint() {
        assertInvalidUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF});             // overlong '/'
        assertInvalidUtf8(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}); // overlong, 3 bytes
        assertInvalidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // U+D800, a surrogate
        assertInvalidUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // U+110000
        assertInvalidUtf8(new byte[] {(byte) 0x80});                           // a lone continuation byte
        FrameRules.Utf8Check check = new FrameRules.Utf8Check();
        for (byte b : utf8("aé✓🚀\uFFFD")) {
            assertTrue(check.accept(b));
        }
        assertTrue(check.complete());
    }

    @Test
    void aBrokenRuleIsReportedOnceAndNothingAfterItIsChecked() {
        FrameRules rules = new FrameRules();
        byte[] stream = concat(frame(0x1, true, utf8("ok")), frame(0x3, true, utf8("x")), frame(0x1, true, utf8("after")));
        int accepted = 0;
        for (byte b : stream) {
            if (!rules.feed(b)) {
                break;
            }
            accepted++;
        }
        assertEquals(frame(0x1, true, utf8("ok")).length, accepted, "the whole first frame, then the broken first byte");
        assertEquals(FrameRules.PROTOCOL_ERROR, rules.violation().code());
        assertEquals("reserved opcode 0x3", rules.violation().reason());
    }

    @Test
    void aFrameDeclaringMoreThanTheFrameLimitIsRefusedWith1009BeforeItsPayload() {
        FrameRules rules = new FrameRules(null, 1024);
        byte[] header = {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 2, 0, 0, 0, 0}; // 8 GiB declared
        int accepted = 0;
        for (byte b : header) {
            if (!rules.feed(b)) {
                break;
            }
            accepted++;
        }
        assertEquals(header.length - 1, accepted, "refused at the length's last byte, before any mask or payload");
        assertEquals(FrameRules.TOO_BIG, rules.violation().code());
        assertEquals("a frame of 8589934592 bytes, over the limit of 1024", rules.violation().reason());

        FrameRules atTheLimit = new FrameRules(null, 126);
        for (byte b : frame(0x1, true, new byte[126])) {
            assertTrue(atTheLimit.feed(b), () -> String.valueOf(atTheLimit.violation()));
        }
    }

    private static void assertInvalidUtf8(byte[] bytes) {
        FrameRules rules = new FrameRules();
        boolean ok = true;
        for (byte b : frame(0x1, true, bytes)) {
            ok = rules.feed(b);
            if (!ok) {
                break;
            }
        }
        assertEquals(FrameRules.INVALID_DATA, rules.violation() == null ? 0 : rules.violation().code(), () -> "refused: " + hex(bytes));
    }

    private static byte[] frame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        out.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02X ", b));
        }
        return s.toString().trim();
    }
}

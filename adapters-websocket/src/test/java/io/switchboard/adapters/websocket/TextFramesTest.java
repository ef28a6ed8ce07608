package io.switchboard.adapters.websocket;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Server text frames as RFC 6455 5.2 lays them out, at each boundary of the length encoding. */
class TextFramesTest {

    @Test
    void shortPayloadsHaveTheirLengthInTheSecondByte() {
        assertArrayEquals(new byte[] {(byte) 0x81, 0}, TextFrames.encode(""));
        byte[] frame = TextFrames.encode("x".repeat(125));
        assertEquals(127, frame.length);
        assertEquals((byte) 0x81, frame[0], "FIN and opcode 1 (text)");
        assertEquals(125, frame[1], "unmasked, length 125");
    }

    @Test
    void from126BytesTheLengthTakesTwoMoreBytes() {
        byte[] frame = TextFrames.encode("x".repeat(126));
        assertEquals(126, frame[1]);
        assertEquals(0, frame[2]);
        assertEquals(126, frame[3]);
        assertEquals(4 + 126, frame.length);

        byte[] largest = TextFrames.encode("x".repeat(65535));
        assertEquals(126, largest[1]);
        assertEquals((byte) 0xff, largest[2]);
        assertEquals((byte) 0xff, largest[3]);
    }

    @Test
    void from65536BytesTheLengthTakesEightMoreBytes() {
        byte[] frame = TextFrames.encode("x".repeat(65536));
        assertEquals(127, frame[1]);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 1, 0, 0}, Arrays.copyOfRange(frame, 2, 10));
        assertEquals(10 + 65536, frame.length);
    }

    @Test
    void theLengthCountsUtf8BytesNotCharacters() {
        String text = "{\"name\":\"Zoë ✓ 🚀\"}";
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = TextFrames.encode(text);
        assertEquals(payload.length, frame[1]);
        assertArrayEquals(payload, Arrays.copyOfRange(frame, 2, frame.length));
    }

    @Test
    void aHeaderWrittenInPlaceMatchesTheEncodedFrameAndTellsWhereThePayloadStarts() {
        for (int n : new int[] {0, 125, 126, 65535, 65536}) {
            byte[] encoded = TextFrames.encode("y".repeat(n));
            byte[] target = new byte[3 + encoded.length];
            int payloadAt = TextFrames.writeHeader(target, 3, n);
            assertEquals(3 + TextFrames.headerLength(n), payloadAt, "payload offset for " + n + " bytes");
            assertEquals(TextFrames.payloadOffset(encoded), TextFrames.headerLength(n), "header length for " + n + " bytes");
            assertArrayEquals(Arrays.copyOfRange(encoded, 0, TextFrames.headerLength(n)),
                    Arrays.copyOfRange(target, 3, payloadAt), "header for " + n + " bytes");
        }
    }
}

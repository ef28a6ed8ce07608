package io.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The frame fuzzer's scripts: what one fuzzing connection sends after its {@code 101}, in one write —
 * a run of frames a server must take (pings, pongs, JSON and not-JSON text, fragmented messages with
 * pings between the fragments and UTF-8 characters cut across them, binary frames), then, in most
 * scripts, one frame of a hostile kind (a rule of RFC 6455 broken on purpose, random bytes, or a
 * taken frame with bits flipped). Seeded: the same seed gives the same scripts.
 */
final class FuzzFrames {
    /** One connection's bytes and how many frames they are. */
    record Script(byte[] bytes, int frames, String kind) {
    }

    static final String CLEAN = "none (frames a server takes)";

    private static final int FIN = 0x80;
    private static final int MAX_TAKEN = 40;
    private static final List<String> TEXTS = List.of(
            "{\"type\":\"join\",\"data\":{\"room\":\"abuse:fuzz\"}}",
            "{\"type\":\"leave\",\"data\":{\"room\":\"abuse:fuzz\"}}",
            "{\"type\":\"sync\",\"data\":{\"room\":\"abuse:fuzz\"}}",
            "{\"type\":\"no-such-type\"}",
            "{\"type\":\"join\",\"data\":{\"room\":\"$audit\"}}",
            "{\"type\":\"join\",\"data\":{\"room\":\"not a room name!\"}}",
            "{\"type\":\"join\",\"data\":{\"room\":\"ünïcödé-€-𝄞\"}}",
            "{\"type\":\"publish\",\"data\":{\"room\":\"abuse:fuzz\",\"type\":\"x\",\"data\":1e999}}",
            "{\"type\":\"ack\",\"data\":{\"id\":\"-1\"}}",
            "not JSON at all",
            "{}",
            "[]",
            "null",
            "{\"type\":",
            "[".repeat(100) + "]".repeat(100),
            "{\"type\":\"join\",\"data\":{\"room\":\"abuse:fuzz\",\"since\":\"99999999999999999999999\"}}");

    private final SplittableRandom random;

    FuzzFrames(long seed) {
        this.random = new SplittableRandom(seed);
    }

    Script next() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        int frames = 0;
        int taken = 1 + random.nextInt(MAX_TAKEN);
        for (int i = 0; i < taken; i++) {
            frames += taken(out);
        }
        String kind = CLEAN;
        if (random.nextInt(100) >= 15) {
            Hostile hostile = Hostile.values()[random.nextInt(Hostile.values().length)];
            kind = hostile.label;
            frames += hostile(hostile, out);
        }
        return new Script(out.toByteArray(), frames, kind);
    }

    // ---- frames a server must take

    /** Writes one frame a server must take (or a fragmented message: several); returns how many frames. */
    private int taken(ByteArrayOutputStream out) {
        int r = random.nextInt(100);
        if (r < 45) {
            put(out, FIN | WsCodec.OP_PING, bytes(random.nextInt(126)));
            return 1;
        }
        if (r < 60) {
            put(out, FIN | WsCodec.OP_PONG, bytes(random.nextInt(126)));
            return 1;
        }
        if (r < 78) {
            put(out, FIN | WsCodec.OP_TEXT, utf8(TEXTS.get(random.nextInt(TEXTS.size()))));
            return 1;
        }
        if (r < 90) {
            return fragmented(out, utf8(TEXTS.get(random.nextInt(TEXTS.size()))));
        }
        if (r < 95) {
            put(out, FIN | WsCodec.OP_BINARY, bytes(random.nextInt(64)));
            return 1;
        }
        put(out, FIN | WsCodec.OP_TEXT, new byte[0]);
        return 1;
    }

    /** A text message in 2–4 fragments cut at random bytes (inside a UTF-8 character too), with pings between them. */
    private int fragmented(ByteArrayOutputStream out, byte[] text) {
        int parts = 2 + random.nextInt(3);
        int frames = 0;
        int from = 0;
        for (int p = 0; p < parts; p++) {
            boolean last = p == parts - 1;
            int to = last ? text.length : from + random.nextInt(text.length - from + 1);
            put(out, (last ? FIN : 0) | (p == 0 ? WsCodec.OP_TEXT : WsCodec.OP_CONTINUATION), slice(text, from, to));
            frames++;
            from = to;
            if (!last && random.nextBoolean()) {
                put(out, FIN | WsCodec.OP_PING, bytes(random.nextInt(16)));
                frames++;
            }
        }
        return frames;
    }

    // ---- hostile frames

    enum Hostile {
        RESERVED_OPCODE("reserved opcode"),
        RSV_BITS("RSV bits without an extension"),
        FRAGMENTED_CONTROL("fragmented control frame"),
        LONG_CONTROL("control frame over 125 bytes"),
        STRAY_CONTINUATION("continuation without a message"),
        MESSAGE_IN_MESSAGE("new message inside a fragmented one"),
        INVALID_UTF8("text not UTF-8"),
        INVALID_UTF8_FRAGMENTS("text not UTF-8 across fragments"),
        CLOSE_CODE("close code that may not be sent"),
        CLOSE_ONE_BYTE("close payload of 1 byte"),
        CLOSE_REASON("close reason not UTF-8"),
        LENGTH_MSB("64-bit length with its top bit set"),
        LENGTH_HUGE("length of 8 GiB declared"),
        MESSAGE_TOO_LARGE("text message over 4 KiB"),
        FRAGMENTS_TOO_LARGE("fragments over 4 KiB together"),
        UNMASKED("unmasked client frame"),
        NON_MINIMAL_LENGTH("length not in its shortest form"),
        RANDOM_BYTES("random bytes"),
        RANDOM_HEADER("random first two bytes"),
        BIT_FLIPS("a taken frame with bits flipped");

        final String label;

        Hostile(String label) {
            this.label = label;
        }
    }

    private static final int[] BAD_CLOSE_CODES = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
    private static final int[][] BAD_UTF8 = {
            {0xC0, 0xAF},                    // overlong '/'
            {0xE0, 0x80, 0xAF},              // overlong, 3 bytes
            {0xED, 0xA0, 0x80},              // a surrogate
            {0xF4, 0x90, 0x80, 0x80},        // past U+10FFFF
            {0xF8, 0x88, 0x80, 0x80, 0x80},  // 5-byte form
            {0x80},                          // a lone continuation byte
            {0xFE}, {0xFF},
            {0xE2, 0x82},                    // cut off at the end of the message
    };

    /** Writes one hostile kind; returns how many frames. */
    private int hostile(Hostile kind, ByteArrayOutputStream out) {
        switch (kind) {
            case RESERVED_OPCODE -> {
                int[] reserved = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF};
                put(out, FIN | reserved[random.nextInt(reserved.length)], bytes(random.nextInt(20)));
            }
            case RSV_BITS -> put(out, FIN | (1 + random.nextInt(7)) << 4 | (random.nextBoolean() ? WsCodec.OP_TEXT : WsCodec.OP_PING),
                    utf8("{\"type\":\"no-such-type\"}"));
            case FRAGMENTED_CONTROL -> {
                int[] control = {WsCodec.OP_PING, WsCodec.OP_PONG, WsCodec.OP_CLOSE};
                int op = control[random.nextInt(control.length)];
                put(out, op, op == WsCodec.OP_CLOSE ? new byte[]{0x03, (byte) 0xE8} : bytes(random.nextInt(10)));
            }
            case LONG_CONTROL -> {
                int[] control = {WsCodec.OP_PING, WsCodec.OP_PONG, WsCodec.OP_CLOSE};
                byte[] payload = bytes(126 + random.nextInt(200));
                int op = control[random.nextInt(control.length)];
                if (op == WsCodec.OP_CLOSE) {
                    payload[0] = 0x03;
                    payload[1] = (byte) 0xE8;
                    java.util.Arrays.fill(payload, 2, payload.length, (byte) 'r');
                }
                put(out, FIN | op, payload);
            }
            case STRAY_CONTINUATION -> put(out, (random.nextBoolean() ? FIN : 0) | WsCodec.OP_CONTINUATION, utf8("stray"));
            case MESSAGE_IN_MESSAGE -> {
                put(out, WsCodec.OP_TEXT, utf8("{\"type\":"));
                put(out, FIN | (random.nextBoolean() ? WsCodec.OP_TEXT : WsCodec.OP_BINARY), utf8("\"join\"}"));
                return 2;
            }
            case INVALID_UTF8 -> put(out, FIN | WsCodec.OP_TEXT, badUtf8());
            case INVALID_UTF8_FRAGMENTS -> {
                byte[] bad = badUtf8();
                int cut = 1 + random.nextInt(bad.length - 1);
                put(out, WsCodec.OP_TEXT, slice(bad, 0, cut));
                put(out, FIN | WsCodec.OP_CONTINUATION, slice(bad, cut, bad.length));
                return 2;
            }
            case CLOSE_CODE -> {
                int code = BAD_CLOSE_CODES[random.nextInt(BAD_CLOSE_CODES.length)];
                put(out, FIN | WsCodec.OP_CLOSE, new byte[]{(byte) (code >> 8), (byte) code});
            }
            case CLOSE_ONE_BYTE -> put(out, FIN | WsCodec.OP_CLOSE, new byte[]{0x03});
            case CLOSE_REASON -> put(out, FIN | WsCodec.OP_CLOSE, new byte[]{0x03, (byte) 0xE8, 'o', 'k', (byte) 0xC3, 0x28});
            case LENGTH_MSB -> out.writeBytes(WsCodec.encode(FIN | WsCodec.OP_TEXT, Long.MIN_VALUE | random.nextInt(100), 127,
                    new byte[0], true));
            case LENGTH_HUGE -> out.writeBytes(WsCodec.encode(FIN | WsCodec.OP_TEXT, 1L << 33, 127, new byte[0], true));
            case MESSAGE_TOO_LARGE -> put(out, FIN | WsCodec.OP_TEXT,
                    utf8("{\"type\":\"join\",\"data\":{\"room\":\"" + "x".repeat(5000) + "\"}}"));
            case FRAGMENTS_TOO_LARGE -> {
                put(out, WsCodec.OP_TEXT, utf8("{\"type\":\"join\",\"data\":{\"room\":\"" + "x".repeat(1600)));
                put(out, WsCodec.OP_CONTINUATION, utf8("y".repeat(1600)));
                put(out, WsCodec.OP_CONTINUATION, utf8("z".repeat(1600)));
                put(out, FIN | WsCodec.OP_CONTINUATION, utf8("\"}}"));
                return 4;
            }
            case UNMASKED -> out.writeBytes(WsCodec.encode(FIN | WsCodec.OP_TEXT, 2, 0, utf8("{}"), false));
            case NON_MINIMAL_LENGTH -> {
                byte[] payload = utf8("{}");
                out.writeBytes(WsCodec.encode(FIN | WsCodec.OP_TEXT, payload.length, random.nextBoolean() ? 126 : 127, payload, true));
            }
            case RANDOM_BYTES -> out.writeBytes(bytes(2 + random.nextInt(63)));
            case RANDOM_HEADER -> {
                int length = random.nextInt(126);
                out.writeBytes(WsCodec.encode(random.nextInt(256), length, 0, bytes(length), random.nextInt(4) != 0));
            }
            case BIT_FLIPS -> {
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                int frames = taken(one);
                byte[] bytes = one.toByteArray();
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int bit = random.nextInt(bytes.length * 8);
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                out.writeBytes(bytes);
                return frames;
            }
        }
        return 1;
    }

    /** Valid JSON text with one broken UTF-8 sequence in it. */
    private byte[] badUtf8() {
        int[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
        byte[] head = utf8("{\"type\":\"join\",\"data\":{\"room\":\"é");
        boolean atEnd = bad.length == 2 && bad[0] == 0xE2;
        byte[] tail = atEnd ? new byte[0] : utf8("\"}}");
        byte[] text = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, text, 0, head.length);
        for (int i = 0; i < bad.length; i++) {
            text[head.length + i] = (byte) bad[i];
        }
        System.arraycopy(tail, 0, text, head.length + bad.length, tail.length);
        return text;
    }

    // ---- bytes

    private static void put(ByteArrayOutputStream out, int firstByte, byte[] payload) {
        out.writeBytes(WsCodec.encode(firstByte, payload.length, 0, payload, true));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] slice(byte[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}

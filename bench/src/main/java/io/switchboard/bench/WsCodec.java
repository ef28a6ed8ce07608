package io.switchboard.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** The client side of RFC 6455 that the load generator needs: the upgrade request and masked frames. */
final class WsCodec {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsCodec() {
    }

    /** A fresh random {@code Sec-WebSocket-Key}. */
    static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key}. */
    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ByteBuffer upgradeRequest(String host, int port, String pathAndQuery, String key) {
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        return ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    }

    static ByteBuffer text(String text) {
        return frame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One final client frame: clients must mask every frame they send (RFC 6455 5.3). */
    static ByteBuffer frame(int opcode, byte[] payload) {
        return ByteBuffer.wrap(encode(0x80 | opcode, payload.length, 0, payload, true));
    }

    /**
     * Any frame, also one that breaks the rules (the frame fuzzer's): {@code firstByte} is FIN, the
     * three RSV bits and the opcode as sent; {@code declaredLength} is the length written in the header,
     * whatever {@code payload} holds; {@code lengthForm} forces the 16-bit (126) or 64-bit (127) length
     * form, 0 picks the shortest; the payload is masked with a random key when {@code masked}.
     */
    static byte[] encode(int firstByte, long declaredLength, int lengthForm, byte[] payload, boolean masked) {
        int form = lengthForm != 0 ? lengthForm
                : declaredLength >= 0 && declaredLength < 126 ? 0 : declaredLength >= 0 && declaredLength <= 0xFFFF ? 126 : 127;
        int header = form == 0 ? 2 : form == 126 ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + (masked ? 4 : 0) + payload.length);
        frame.put((byte) firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (form == 0) {
            frame.put((byte) (maskBit | (int) declaredLength));
        } else if (form == 126) {
            frame.put((byte) (maskBit | 126)).putShort((short) declaredLength);
        } else {
            frame.put((byte) (maskBit | 127)).putLong(declaredLength);
        }
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i & 3]));
            }
        } else {
            frame.put(payload);
        }
        return frame.array();
    }

    static ByteBuffer close(int code) {
        return frame(OP_CLOSE, new byte[]{(byte) (code >> 8), (byte) code});
    }
}

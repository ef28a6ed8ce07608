package io.switchboard.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The head of an HTTP/1.1 response read from a buffer: its status line and the headers a client checks. */
record ResponseHead(String statusLine, String webSocketAccept) {
    private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The head at {@code in}'s position, which moves past it; null while it is incomplete. */
    static ResponseHead read(ByteBuffer in) {
        int end = Conn.indexOf(in.array(), in.position(), in.limit(), END);
        if (end < 0) {
            return null;
        }
        String head = new String(in.array(), in.position(), end - in.position(), StandardCharsets.ISO_8859_1);
        in.position(end + END.length);
        String[] lines = head.split("\r\n");
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                accept = lines[i].substring(colon + 1).trim();
            }
        }
        return new ResponseHead(lines[0], accept);
    }

    boolean is(int status) {
        return statusLine.startsWith("HTTP/1.1 " + status + " ") || statusLine.equals("HTTP/1.1 " + status);
    }

    /** A {@code 101} that answers the upgrade sent with {@code key}. */
    boolean upgraded(String key) {
        return is(101) && WsCodec.acceptFor(key).equals(webSocketAccept);
    }
}

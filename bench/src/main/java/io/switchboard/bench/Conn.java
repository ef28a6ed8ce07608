package io.switchboard.bench;

import io.switchboard.bench.Target.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One subscriber connection, driven by its {@link ClientLoop} and touched by that loop's thread
 * only: the HTTP request (WebSocket upgrade or SSE), then the stream — WebSocket frames (text,
 * fragments, ping → pong, close) or a chunked SSE body — then the messages: JSON envelopes
 * (several per frame with {@code ?batch=1}) or Engine.IO packets. Every event carries its
 * publisher's sequence number and scheduled send time; this class checks order and gaps.
 */
final class Conn {
    private enum Phase { CONNECTING, AWAIT_RESPONSE, STREAMING, CLOSED }

    private static final byte[] SEQ = ascii("\"seq\":");
    private static final byte[] SENT = ascii("\"sent\":");
    private static final byte[] ID = ascii("\"id\":\"");
    private static final byte[] HEADER_END = ascii("\r\n\r\n");
    private static final int MAX_BUFFER = 4 << 20;

    private final ClientLoop loop;
    private final Target target;
    private final SocketChannel channel;
    private SelectionKey key;
    private Phase phase = Phase.CONNECTING;
    private ByteBuffer in = ByteBuffer.allocate(2048);
    private final PendingWrites out = new PendingWrites();
    private String wsKey;
    private boolean ready;

    // WebSocket message fragments
    private byte[] fragments;
    private int fragmentsLength;

    // SSE body: chunked transfer decoding, then lines
    private boolean chunked;
    private long chunkRemaining;
    private ByteBuffer sseLines;

    // The room to join (the target's unless set) and, when resuming, the last id seen before (over
    // SSE: sent as Last-Event-ID)
    private String room;
    private String since;
    /** SSE: the value of the last {@code id:} line, the id of the event whose {@code data:} follows. */
    private String sseId;
    /** Resume: remember each event's id; {@link #expect} makes the connection report when it has all. */
    private boolean trackIds;
    private long expectUntilSeq = -1;

    // What this subscriber saw
    String lastId;
    /** {@code recovered} of the {@code joined} answer: 1 true, 0 false, -1 absent or no answer yet. */
    int recovered = -1;
    String joinedText;
    long eventsBeforeJoined;
    long readyNanos;
    long caughtUpNanos;
    long nextSeq;
    long received;
    long gaps;
    long outOfOrder;
    int closeCode = -1;
    /** The close code (-1: the socket just ended) when the connection ended before the loop stopped; 0: it did not. */
    int earlyCloseCode;

    Conn(ClientLoop loop, Target target, SocketChannel channel) {
        this.loop = loop;
        this.target = target;
        this.channel = channel;
        this.room = target.room();
    }

    /** Joins {@code room} (not the target's) and remembers every event's id: the first half of a resume. */
    void track(String room) {
        this.room = room;
        this.trackIds = true;
    }

    /**
     * Joins {@code room} with {@code since}; the events with sequence numbers {@code nextSeq} up to
     * {@code untilSeq} (exclusive) are expected, in order, and the loop is told when the last arrives.
     */
    void expect(String room, String since, long nextSeq, long untilSeq) {
        track(room);
        this.since = since;
        this.nextSeq = nextSeq;
        this.expectUntilSeq = untilSeq;
    }

    boolean isReady() {
        return ready;
    }

    String room() {
        return room;
    }

    boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    void registered(SelectionKey selectionKey, boolean connected) throws IOException {
        this.key = selectionKey;
        if (connected) {
            connected();
        }
    }

    void onConnectable() throws IOException {
        if (channel.finishConnect()) {
            connected();
        }
    }

    private void connected() throws IOException {
        phase = Phase.AWAIT_RESPONSE;
        key.interestOps(SelectionKey.OP_READ);
        if (target.transport().isSse()) {
            String request = "GET " + target.requestPath(room) + " HTTP/1.1\r\nHost: " + target.host() + ":" + target.port()
                    + "\r\nAccept: text/event-stream\r\n" + (since == null ? "" : "Last-Event-ID: " + since + "\r\n") + "\r\n";
            send(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        } else {
            wsKey = WsCodec.newKey();
            send(WsCodec.upgradeRequest(target.host(), target.port(), target.requestPath(room), wsKey));
        }
    }

    void onReadable() throws IOException {
        int n = channel.read(in);
        if (n < 0) {
            close(closeCode < 0 ? 1006 : closeCode, "connection ended by the server");
            return;
        }
        in.flip();
        int needed = 0;
        if (phase == Phase.AWAIT_RESPONSE) {
            readResponseHead();
        }
        if (phase == Phase.STREAMING) {
            needed = target.transport().isSse() ? readSse() : readFrames();
        }
        if (phase == Phase.CLOSED) {
            return;
        }
        in.compact();
        if (in.position() == in.capacity() || needed > in.capacity()) {
            grow(Math.max(needed, in.capacity() * 2));
        }
    }

    void onWritable() throws IOException {
        out.flush(channel, key);
    }

    /** Ends the connection: a WebSocket close frame first when {@code polite}, then the socket. */
    void shutdown(boolean polite) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (polite && phase == Phase.STREAMING && !target.transport().isSse()) {
            try {
                channel.write(WsCodec.close(1000));
            } catch (IOException e) {
                // the socket is going anyway
            }
        }
        close(1000, null);
    }

    void fail(String why) {
        close(-1, why);
    }

    private void close(int code, String why) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean wasReady = ready;
        phase = Phase.CLOSED;
        if (closeCode < 0) {
            closeCode = code;
        }
        if (!loop.stopping()) {
            earlyCloseCode = closeCode;
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
        loop.closed(this, wasReady, why);
    }

    private void send(ByteBuffer buffer) throws IOException {
        out.write(channel, key, buffer);
    }

    private void sendText(String text) throws IOException {
        send(WsCodec.text(text));
    }

    private void becomeReady() {
        if (!ready) {
            ready = true;
            readyNanos = System.nanoTime();
            loop.ready(this);
        }
    }

    // ---- HTTP response head

    private void readResponseHead() {
        int end = indexOf(in.array(), in.position(), in.limit(), HEADER_END);
        if (end < 0) {
            if (in.remaining() > 16 * 1024) {
                fail("response head too long");
            }
            return;
        }
        String head = new String(in.array(), in.position(), end - in.position(), StandardCharsets.ISO_8859_1);
        in.position(end + HEADER_END.length);
        String[] lines = head.split("\r\n");
        String status = lines[0];
        boolean sse = target.transport().isSse();
        String expected = sse ? " 200" : " 101";
        if (!status.startsWith("HTTP/1.1" + expected)) {
            fail("answer '" + status + "'");
            return;
        }
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("sec-websocket-accept")) {
                accept = value;
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (!sse && !WsCodec.acceptFor(wsKey).equals(accept)) {
            fail("wrong Sec-WebSocket-Accept");
            return;
        }
        if (sse) {
            sseLines = ByteBuffer.allocate(4096);
        }
        phase = Phase.STREAMING;
        if (target.transport().subscribedOnOpen()) {
            becomeReady();
        }
    }

    // ---- WebSocket frames

    /** Handles every complete frame in {@code in}; returns the buffer size the next frame needs. */
    private int readFrames() throws IOException {
        byte[] a = in.array();
        while (phase == Phase.STREAMING) {
            int p = in.position();
            int available = in.remaining();
            if (available < 2) {
                return 0;
            }
            int b0 = a[p] & 0xFF;
            int b1 = a[p + 1] & 0xFF;
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (available < 4) {
                    return 0;
                }
                length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (available < 10) {
                    return 0;
                }
                length = in.getLong(p + 2);
                header = 10;
            }
            if ((b1 & 0x80) != 0) {
                fail("the server masked a frame");
                return 0;
            }
            if (length > MAX_BUFFER) {
                fail("frame of " + length + " bytes");
                return 0;
            }
            if (available < header + length) {
                return (int) (header + length);
            }
            in.position(p + header + (int) length);
            frame((b0 & 0x80) != 0, b0 & 0x0F, a, p + header, (int) length);
        }
        return 0;
    }

    private void frame(boolean fin, int opcode, byte[] a, int offset, int length) throws IOException {
        switch (opcode) {
            case WsCodec.OP_TEXT, WsCodec.OP_BINARY, WsCodec.OP_CONTINUATION -> {
                if (fin && fragments == null) {
                    message(a, offset, length);
                    return;
                }
                if (fragments == null) {
                    fragments = new byte[Math.max(1024, length * 2)];
                    fragmentsLength = 0;
                }
                if (fragmentsLength + length > fragments.length) {
                    fragments = java.util.Arrays.copyOf(fragments, Math.max(fragments.length * 2, fragmentsLength + length));
                }
                System.arraycopy(a, offset, fragments, fragmentsLength, length);
                fragmentsLength += length;
                if (fin) {
                    byte[] whole = fragments;
                    fragments = null;
                    message(whole, 0, fragmentsLength);
                }
            }
            case WsCodec.OP_PING -> send(WsCodec.frame(WsCodec.OP_PONG, java.util.Arrays.copyOfRange(a, offset, offset + length)));
            case WsCodec.OP_PONG -> {
            }
            case WsCodec.OP_CLOSE -> {
                closeCode = length >= 2 ? ((a[offset] & 0xFF) << 8) | (a[offset + 1] & 0xFF) : 1005;
                try {
                    channel.write(WsCodec.close(closeCode == 1005 ? 1000 : closeCode));
                } catch (IOException e) {
                    // closing anyway
                }
                close(closeCode, "closed by the server with " + closeCode + " "
                        + new String(a, offset + Math.min(2, length), Math.max(0, length - 2), StandardCharsets.UTF_8));
            }
            default -> fail("unknown opcode " + opcode);
        }
    }

    /** One WebSocket message: Engine.IO packet, or canonical JSON objects separated by newlines. */
    private void message(byte[] a, int offset, int length) throws IOException {
        if (target.transport() == Transport.SOCKETIO) {
            engineIoPacket(a, offset, length);
            return;
        }
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (a[i] == '\n') {
                envelope(a, start, i);
                start = i + 1;
            }
        }
        if (start < end) {
            envelope(a, start, end);
        }
    }

    private void envelope(byte[] a, int from, int to) throws IOException {
        if (event(a, from, to)) {
            return;
        }
        String text = new String(a, from, to - from, StandardCharsets.UTF_8);
        if (text.startsWith("{\"type\":\"connected\"")) {
            if (room == null) {
                becomeReady();
            } else if (target.transport() == Transport.WS) {
                sendText("{\"type\":\"join\",\"data\":{\"room\":\"" + room + "\""
                        + (since == null ? "" : ",\"since\":\"" + since + "\"") + "}}");
            }
        } else if (text.startsWith("{\"type\":\"joined\"")) {
            if (trackIds) {
                joinedText = text;
                recovered = text.contains("\"recovered\":true") ? 1 : text.contains("\"recovered\":false") ? 0 : -1;
            }
            becomeReady();
        } else if (text.startsWith("{\"type\":\"error\"") || text.startsWith("{\"type\":\"disconnect\"")) {
            loop.note(text);
        }
    }

    private void engineIoPacket(byte[] a, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        byte type = a[offset];
        if (type == '2') {
            sendText("3" + new String(a, offset + 1, length - 1, StandardCharsets.UTF_8));
        } else if (type == '0') {
            sendText("40");
        } else if (type == '4' && length > 1) {
            byte sub = a[offset + 1];
            if (sub == '0') {
                if (room == null) {
                    becomeReady();
                } else {
                    sendText("42[\"join\",\"" + room + "\"]");
                }
            } else if (sub == '2' && !event(a, offset, offset + length)) {
                if (startsWith(a, offset, length, "42[\"joined\"")) {
                    becomeReady();
                }
            } else if (sub == '4') {
                loop.note(new String(a, offset, length, StandardCharsets.UTF_8));
                fail("Socket.IO connect error");
            }
        } else if (type == '1') {
            close(1000, "Engine.IO close packet");
        }
    }

    /** Reads {@code "seq"} and {@code "sent"} of a bench event; false if the message is not one. */
    private boolean event(byte[] a, int from, int to) {
        int s = indexOf(a, from, to, SEQ);
        if (s < 0) {
            return false;
        }
        int t = indexOf(a, s, to, SENT);
        if (t < 0) {
            return false;
        }
        long seq = parseLong(a, s + SEQ.length, to);
        long sent = parseLong(a, t + SENT.length, to);
        received++;
        if (trackIds) {
            if (sseId != null) {
                lastId = sseId; // what an EventSource sends back as Last-Event-ID
            } else {
                int i = indexOf(a, from, s, ID);
                if (i >= 0) {
                    int end = indexOf(a, i + ID.length, to, new byte[]{'"'});
                    lastId = new String(a, i + ID.length, Math.max(0, end - i - ID.length), StandardCharsets.US_ASCII);
                }
            }
            if (!ready) {
                eventsBeforeJoined++;
            }
        }
        if (seq == nextSeq) {
            nextSeq++;
        } else if (seq > nextSeq) {
            gaps += seq - nextSeq;
            nextSeq = seq + 1;
        } else {
            outOfOrder++;
        }
        loop.delivered(seq, sent);
        if (expectUntilSeq >= 0 && caughtUpNanos == 0 && nextSeq >= expectUntilSeq) {
            caughtUpNanos = System.nanoTime();
            loop.caughtUp(this);
        }
        return true;
    }

    // ---- SSE

    /** Decodes the chunked body into lines and handles each {@code data:} line. */
    private int readSse() throws IOException {
        byte[] a = in.array();
        while (in.hasRemaining() && phase == Phase.STREAMING) {
            if (!chunked || chunkRemaining > 0) {
                int n = chunked ? (int) Math.min(chunkRemaining, in.remaining()) : in.remaining();
                n = Math.min(n, sseLines.remaining());
                if (n == 0) {
                    if (sseLines.capacity() >= MAX_BUFFER) {
                        fail("SSE line too long");
                        return 0;
                    }
                    sseLines = ByteBuffer.allocate(sseLines.capacity() * 2).put(sseLines.flip());
                    continue;
                }
                sseLines.put(a, in.position(), n);
                in.position(in.position() + n);
                if (chunked) {
                    chunkRemaining -= n;
                }
                sseLinesReady();
            } else {
                int lineEnd = indexOf(a, in.position(), in.limit(), new byte[]{'\n'});
                if (lineEnd < 0) {
                    return 0;
                }
                String line = new String(a, in.position(), lineEnd - in.position(), StandardCharsets.US_ASCII).trim();
                in.position(lineEnd + 1);
                if (line.isEmpty()) {
                    continue;
                }
                int semicolon = line.indexOf(';');
                chunkRemaining = Long.parseLong(semicolon < 0 ? line : line.substring(0, semicolon), 16);
                if (chunkRemaining == 0) {
                    close(1000, "SSE stream ended");
                    return 0;
                }
            }
        }
        return 0;
    }

    private void sseLinesReady() throws IOException {
        byte[] a = sseLines.array();
        int start = 0;
        int end = sseLines.position();
        for (int i = 0; i < end; i++) {
            if (a[i] == '\n') {
                int lineEnd = i > start && a[i - 1] == '\r' ? i - 1 : i;
                if (trackIds && startsWith(a, start, lineEnd - start, "id:")) {
                    sseId = new String(a, start + 3, lineEnd - start - 3, StandardCharsets.UTF_8).trim();
                } else if (startsWith(a, start, lineEnd - start, "data:")) {
                    int from = start + 5;
                    if (from < lineEnd && a[from] == ' ') {
                        from++;
                    }
                    envelope(a, from, lineEnd);
                }
                start = i + 1;
            }
        }
        sseLines.flip().position(start);
        sseLines.compact();
    }

    // ---- buffers and bytes

    private void grow(int capacity) {
        if (capacity > MAX_BUFFER) {
            fail("message over " + MAX_BUFFER + " bytes");
            return;
        }
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        in.flip();
        bigger.put(in);
        in = bigger;
    }

    private static boolean startsWith(byte[] a, int offset, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (a[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] a, int from, int to, byte[] pattern) {
        byte first = pattern[0];
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (a[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long parseLong(byte[] a, int from, int to) {
        long value = 0;
        boolean negative = from < to && a[from] == '-';
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int digit = a[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

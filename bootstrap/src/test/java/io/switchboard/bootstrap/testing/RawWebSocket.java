package io.switchboard.bootstrap.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal RFC 6455 client over a plain {@link Socket}, for end-to-end tests that need control a
 * browser-style client does not give: no automatic pong, hand-made fragmentation, raw close codes,
 * a tiny receive buffer to play a slow consumer, and direct access to refused handshakes.
 *
 * <p>Single-threaded by design: reads happen only when a test calls a read method, so a test that
 * stops calling them is a client that stopped reading. Writes are serialized and may be issued
 * from any thread.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_BODY = 64 * 1024;
    private static final long MAX_PAYLOAD = 64L * 1024 * 1024;
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<String, String> responseHeaders;
    private final Object writeLock = new Object();
    private volatile boolean closedByPeer;

    private RawWebSocket(Socket socket, DataInputStream in, OutputStream out, Map<String, String> responseHeaders) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.responseHeaders = responseHeaders;
    }

    /** A frame as received from the server (payload already unmasked). */
    public record Frame(int opcode, boolean fin, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public boolean isText() {
            return opcode == OP_TEXT;
        }

        public boolean isClose() {
            return opcode == OP_CLOSE;
        }

        public boolean isPing() {
            return opcode == OP_PING;
        }

        public boolean isPong() {
            return opcode == OP_PONG;
        }

        /** Status code of a close frame; 1005 ("no status received") when the payload is empty. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        /** Readable form for assertion messages (records print arrays as identity hashes). */
        @Override
        public String toString() {
            String body = switch (opcode) {
                case OP_TEXT, OP_CONTINUATION -> '"' + text() + '"';
                case OP_CLOSE -> closeCode() + " \"" + closeReason() + '"';
                default -> payload.length + " bytes";
            };
            return "Frame[opcode=" + opcode + ", fin=" + fin + ", " + body + "]";
        }
    }

    /** The server answered the upgrade request with something other than 101 Switching Protocols. */
    public static final class HandshakeRefused extends RuntimeException {
        private final int status;
        private final Map<String, String> headers;
        private final String body;

        public HandshakeRefused(int status, Map<String, String> headers, String body) {
            super("WebSocket handshake refused: HTTP " + status + (body.isEmpty() ? "" : " " + abbreviate(body)));
            this.status = status;
            this.headers = Map.copyOf(headers);
            this.body = body;
        }

        public int status() {
            return status;
        }

        /** Response headers, names lower-cased; repeated headers joined with ", ". */
        public Map<String, String> headers() {
            return headers;
        }

        public String body() {
            return body;
        }

        private static String abbreviate(String s) {
            return s.length() <= 200 ? s : s.substring(0, 200) + "...";
        }
    }

    /** Connects with the operating system's default receive buffer. */
    public static RawWebSocket connect(URI uri, Map<String, String> extraHeaders) throws IOException {
        return connect(uri, extraHeaders, 0);
    }

    /**
     * Opens the TCP connection and performs the upgrade handshake.
     *
     * @param extraHeaders added to the request; a name matching a default header (case-insensitive)
     *                     replaces it, so tests can send e.g. a wrong {@code Sec-WebSocket-Version}
     * @param receiveBufferBytes if positive, set as SO_RCVBUF before connecting (it only takes full
     *                           effect when set before the connection is established) so that a
     *                           client that stops reading backs up the server quickly
     * @throws HandshakeRefused if the server does not answer 101
     */
    public static RawWebSocket connect(URI uri, Map<String, String> extraHeaders, int receiveBufferBytes)
            throws IOException {
        if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only plain ws:// is supported: " + uri);
        }
        String host = uri.getHost();
        int port = uri.getPort() == -1 ? 80 : uri.getPort();

        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            OutputStream out = socket.getOutputStream();

            Map<String, String> request = requestHeaders(host + ":" + port, extraHeaders);
            out.write(requestText(uri, request).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            int status = readStatus(in);
            Map<String, String> headers = readHeaders(in);
            if (status != 101) {
                String body = readBody(socket, in, status, headers);
                socket.close();
                throw new HandshakeRefused(status, headers, body);
            }
            String expected = acceptFor(headerValue(request, "Sec-WebSocket-Key"));
            if (!expected.equals(headers.get("sec-websocket-accept"))) {
                throw new IOException("bad Sec-WebSocket-Accept: " + headers.get("sec-websocket-accept"));
            }
            return new RawWebSocket(socket, in, out, Map.copyOf(headers));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Headers of the 101 response, names lower-cased. */
    public Map<String, String> responseHeaders() {
        return responseHeaders;
    }

    public void sendText(String text) throws IOException {
        sendFrame(OP_TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one text message split into the given fragments, without interleaving other writes. */
    public void sendTextFragments(List<String> parts) throws IOException {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("at least one fragment is required");
        }
        synchronized (writeLock) {
            for (int i = 0; i < parts.size(); i++) {
                int opcode = i == 0 ? OP_TEXT : OP_CONTINUATION;
                boolean fin = i == parts.size() - 1;
                sendFrame(opcode, fin, parts.get(i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    public void sendBinary(byte[] data) throws IOException {
        sendFrame(OP_BINARY, true, data);
    }

    public void sendPing(byte[] data) throws IOException {
        sendFrame(OP_PING, true, data);
    }

    public void sendPong(byte[] data) throws IOException {
        sendFrame(OP_PONG, true, data);
    }

    public void sendClose(int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        sendFrame(OP_CLOSE, true, payload);
    }

    /**
     * Sends an arbitrary masked frame. No validation on purpose, so tests can send protocol
     * violations (reserved opcodes, oversized or fragmented control frames, ...).
     */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (opcode & 0x0F));
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        synchronized (writeLock) {
            frame.writeTo(out);
            out.flush();
        }
    }

    /** Sends bytes as they are: frames no method here would build (reserved bits set, say). */
    public void sendRaw(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * Reads the next frame of any kind. Pings are returned, never answered, so tests can observe
     * the server's heartbeat timeout.
     *
     * <p>The timeout bounds the wait for a frame to start; the rest of a started frame gets at least
     * 5 s so a timeout does not leave the stream in the middle of a frame.
     *
     * @throws SocketTimeoutException if no frame starts within {@code timeout}
     * @throws EOFException if the server closed the connection
     */
    public Frame readFrame(Duration timeout) throws IOException {
        int waitMillis = toSoTimeout(timeout);
        socket.setSoTimeout(waitMillis);
        int b0 = in.read();
        if (b0 < 0) {
            closedByPeer = true;
            throw new EOFException("connection closed by server");
        }
        socket.setSoTimeout(Math.max(waitMillis, TIMEOUT_MILLIS));
        try {
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if (length < 0 || length > MAX_PAYLOAD) {
                throw new IOException("unsupported payload length " + length);
            }
            byte[] mask = null;
            if ((b1 & 0x80) != 0) { // servers must not mask, but tolerate it
                mask = new byte[4];
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            Frame frame = new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
            if (frame.isClose()) {
                closedByPeer = true;
            }
            return frame;
        } catch (EOFException e) {
            closedByPeer = true;
            throw e;
        }
    }

    /**
     * Reads the next text message (reassembling fragments), skipping pings and pongs.
     *
     * @throws IllegalStateException if a close frame or a non-text data frame arrives first
     * @throws SocketTimeoutException if no complete text message arrives within {@code timeout}
     */
    public String readText(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream message = null;
        while (true) {
            Frame frame = readFrame(remaining(deadline, timeout));
            switch (frame.opcode()) {
                case OP_PING, OP_PONG -> { }
                case OP_CLOSE -> throw new IllegalStateException(
                        "expected a text message but got close " + frame.closeCode() + " \"" + frame.closeReason() + '"');
                case OP_TEXT -> {
                    if (frame.fin()) {
                        return frame.text();
                    }
                    message = new ByteArrayOutputStream();
                    message.write(frame.payload());
                }
                case OP_CONTINUATION -> {
                    if (message == null) {
                        throw new IllegalStateException("continuation frame without a started message");
                    }
                    message.write(frame.payload());
                    if (frame.fin()) {
                        return message.toString(StandardCharsets.UTF_8);
                    }
                }
                default -> throw new IllegalStateException("expected a text message but got " + frame);
            }
        }
    }

    /**
     * Discards frames until the server's close frame arrives and returns it.
     *
     * @throws EOFException if the connection ends without a close frame
     * @throws SocketTimeoutException if no close frame arrives within {@code timeout}
     */
    public Frame awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = readFrame(remaining(deadline, timeout));
            if (frame.isClose()) {
                return frame;
            }
        }
    }

    /** True once a close frame or end of stream has been read from the server. */
    public boolean isClosedByPeer() {
        return closedByPeer;
    }

    /** Closes the TCP connection abruptly (no close frame); use {@link #sendClose} first for a clean close. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do in a test client
        }
    }

    // ---- handshake helpers ----

    private static Map<String, String> requestHeaders(String hostHeader, Map<String, String> extraHeaders) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader);
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
        headers.put("Sec-WebSocket-Version", "13");
        if (extraHeaders != null) {
            extraHeaders.forEach((name, value) -> {
                headers.keySet().removeIf(name::equalsIgnoreCase);
                headers.put(name, value);
            });
        }
        return headers;
    }

    private static String requestText(URI uri, Map<String, String> headers) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        StringBuilder text = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        return text.append("\r\n").toString();
    }

    private static String headerValue(Map<String, String> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("");
    }

    private static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + WS_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int readStatus(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("connection closed before the handshake response");
        }
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed status line: " + line);
        }
        return Integer.parseInt(parts[1].trim());
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.merge(name, line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    /** Reads the refusal body: Content-Length, chunked, or until EOF / a short timeout. */
    private static String readBody(Socket socket, DataInputStream in, int status, Map<String, String> headers)
            throws IOException {
        if (status == 204 || status == 304 || status < 200) {
            return "";
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            String length = headers.get("content-length");
            if (length != null) {
                body.write(in.readNBytes((int) Math.min(Long.parseLong(length.trim()), MAX_BODY)));
            } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                String sizeLine;
                while ((sizeLine = readLine(in)) != null && body.size() < MAX_BODY) {
                    int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    body.write(in.readNBytes(size));
                    readLine(in); // CRLF after the chunk
                }
            } else {
                socket.setSoTimeout(1_000);
                byte[] buffer = new byte[4096];
                int n;
                while (body.size() < MAX_BODY && (n = in.read(buffer)) > 0) {
                    body.write(buffer, 0, n);
                }
            }
        } catch (SocketTimeoutException | NumberFormatException e) {
            // keep whatever was read; the status code is what tests mostly care about
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** Reads a CRLF- (or LF-) terminated ISO-8859-1 line; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_HEADER_LINE) {
                throw new IOException("header line too long");
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    // ---- timeout helpers ----

    private static Duration remaining(long deadlineNanos, Duration total) throws SocketTimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("nothing matching arrived within " + total);
        }
        return Duration.ofNanos(left);
    }

    /** SO_TIMEOUT of 0 would mean "forever", so clamp to at least 1 ms. */
    private static int toSoTimeout(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}

package io.switchboard.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection to the server, opened on first use and again after a failure:
 * a request costs the server's time and little of the client's. Reads {@code Content-Length}
 * bodies only, which is what the hub answers. Used by one thread at a time.
 */
final class KeptAlive implements AutoCloseable {
    /** A response: its status and body. */
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream input;
    /** Connections opened: 1 when the first one lasted. */
    long opened;

    KeptAlive(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** Opens the connection now, if it is not open. */
    void connect() throws IOException {
        if (socket == null) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(timeoutMillis);
                s.connect(new InetSocketAddress(host, port), timeoutMillis);
                input = new BufferedInputStream(s.getInputStream(), 8192);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            socket = s;
            opened++;
        }
    }

    Response get(String path) throws IOException {
        return request("GET", path, null, null);
    }

    /** POSTs a JSON body, with extra header lines ({@code "Name: value\r\n"} each) when not null. */
    Response postJson(String path, String json, String extraHeaders) throws IOException {
        return request("POST", path, json.getBytes(StandardCharsets.UTF_8), extraHeaders);
    }

    private Response request(String method, String path, byte[] body, String extraHeaders) throws IOException {
        try {
            connect();
            StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append(':').append(port).append("\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            if (extraHeaders != null) {
                head.append(extraHeaders);
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    private Response readResponse() throws IOException {
        String status = readLine();
        int length = 0;
        boolean close = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:")) {
                throw new IOException("this client reads Content-Length bodies only, not " + line);
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        String body = new String(input.readNBytes(length), StandardCharsets.UTF_8);
        if (close) {
            close();
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("bad status line '" + status + "'");
        }
        return new Response(Integer.parseInt(parts[1]), body);
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = input.read(); c != '\n'; c = input.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // opened again on the next request
            }
            socket = null;
        }
    }
}

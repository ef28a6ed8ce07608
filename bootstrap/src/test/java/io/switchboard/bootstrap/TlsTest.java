package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the listener (SPEC 16): with a certificate made by {@code bin/dev-cert} (a development CA and
 * a server certificate, by openssl), the port serves {@code https://} and {@code wss://} and no plain
 * {@code http://}; bad files stop the start with exit code 2 naming the key and the file.
 */
class TlsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path temp;
    private static Path certs;
    private static HttpClient trusting;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = temp.resolve("certs");
        Process devCert = new ProcessBuilder(Path.of("..", "bin", "dev-cert").toString(), certs.toString(), "localhost", "127.0.0.1")
                .redirectErrorStream(true).start();
        String output = new String(devCert.getInputStream().readAllBytes());
        assertTrue(devCert.waitFor(60, TimeUnit.SECONDS), "bin/dev-cert did not finish");
        assertEquals(0, devCert.exitValue(), output);
        trusting = HttpClient.newBuilder().sslContext(trustingCa(certs.resolve("ca.pem"))).connectTimeout(WAIT).build();
    }

    @Test
    void httpsAndWssAreServedOnThePortAndPlainHttpIsNot() throws Exception {
        try (TestHub hub = TestHub.start(tls(certs.resolve("server.pem"), certs.resolve("server-key.pem")))) {
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(https(hub, "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());

            BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
            WebSocket ws = trusting.newWebSocketBuilder().buildAsync(URI.create("wss://localhost:" + hub.port() + "/ws"),
                    collector(received)).get(10, TimeUnit.SECONDS);
            assertEquals("connected", next(received).path("type").asText());
            ws.sendText("{\"type\":\"join\",\"data\":{\"room\":\"secure:1\"}}", true).get(10, TimeUnit.SECONDS);
            assertEquals("joined", next(received).path("type").asText());
            HttpResponse<String> published = trusting.send(HttpRequest.newBuilder(https(hub, "/api/v1/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"secure:1\",\"type\":\"hello\",\"data\":{\"over\":\"tls\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, published.statusCode(), published.body());
            JsonNode event = next(received);
            assertEquals("hello", event.path("type").asText());
            assertEquals("tls", event.path("data").path("over").asText());
            ws.abort();

            HttpClient plain = HttpClient.newBuilder().connectTimeout(WAIT).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(hub.http("/health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain http:// is not served on a TLS port");
            assertThrows(SSLHandshakeException.class, () -> plain.send(HttpRequest.newBuilder(https(hub, "/health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()), "a client that does not trust the development CA refuses the certificate");
        }
    }

    @Test
    void badFilesStopTheStartWithExitCode2NamingTheKeyAndTheFile() throws Exception {
        Path chain = certs.resolve("server.pem");
        Path key = certs.resolve("server-key.pem");
        Path garbage = Files.writeString(temp.resolve("garbage.pem"), "not a certificate\n");
        Path sec1 = temp.resolve("sec1-key.pem");
        Process convert = new ProcessBuilder("openssl", "ec", "-in", key.toString(), "-out", sec1.toString()).redirectErrorStream(true).start();
        convert.getInputStream().readAllBytes();
        assertEquals(0, convert.waitFor());

        assertRefused(chain, temp.resolve("missing-key.pem"), "server.tls.private-key: " + temp.resolve("missing-key.pem") + " does not exist");
        assertRefused(garbage, key, "server.tls.certificate-chain: " + garbage + " holds no PEM certificate");
        assertRefused(chain, certs.resolve("ca-key.pem"), "server.tls.private-key: " + certs.resolve("ca-key.pem")
                + " is not the private key of the first certificate in " + chain);
        assertRefused(chain, sec1, "server.tls.private-key: " + sec1 + " holds a PEM block \"EC PRIVATE KEY\", not an unencrypted PKCS#8 key");
        assertRefused(chain, certs, "server.tls.private-key: " + certs + " cannot be read");
        assertRefused(null, key, "server.tls.certificate-chain: must be set together with server.tls.private-key");
    }

    /** The hub, started as a process with these files, exits with 2 and says {@code message}. */
    private static void assertRefused(Path chain, Path key, String message) throws IOException {
        Path config = Files.createTempFile(temp, "tls", ".yaml");
        Files.writeString(config, "server:\n  tls:\n" + (chain == null ? "" : "    certificate-chain: " + chain + "\n")
                + "    private-key: " + key + "\n");
        Path output = Files.createTempFile(temp, "hub", ".log");
        try (HubProcess hub = HubProcess.launch(output, "--ephemeral", "--port", "0", "--config", config.toString())) {
            assertEquals(2, hub.awaitExit(Duration.ofSeconds(30)), hub.output());
            assertTrue(hub.output().contains(message), "expected '" + message + "' in:\n" + hub.output());
        }
    }

    private static Map<String, String> tls(Path chain, Path key) {
        return Map.of("server.tls.certificate-chain", chain.toString(), "server.tls.private-key", key.toString());
    }

    private static URI https(TestHub hub, String path) {
        return URI.create("https://localhost:" + hub.port() + path);
    }

    static SSLContext trustingCa(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static WebSocket.Listener collector(BlockingQueue<JsonNode> received) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        received.add(JsonWebSocket.json().readTree(text.toString()));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }

    private static JsonNode next(BlockingQueue<JsonNode> received) throws InterruptedException {
        JsonNode message = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(message, "no message within 10 s");
        return message;
    }
}

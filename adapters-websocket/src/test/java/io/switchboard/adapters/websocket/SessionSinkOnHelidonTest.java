package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.switchboard.application.hub.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What {@link SessionSink} relies on in the Helidon it runs on, checked on a real server and a real
 * socket: a server session's {@code socketContext()} is the connection's {@link ConnectionContext}, whose
 * public {@link DataWriter} takes the frames the sink gathered in one write, and the client reads them as
 * separate, whole messages in order. (Replaces a test that only checked that private fields existed.)
 */
class SessionSinkOnHelidonTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static WebServer server;
    private static final AtomicInteger SOCKET_WRITES = new AtomicInteger();
    /** What the listener does once a client is connected: given the sink, on the connection's thread. */
    private static volatile SinkScript script;

    interface SinkScript {
        void run(SessionSink sink);
    }

    @BeforeAll
    static void start() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .useNio(false)
                .addRouting(WsRouting.builder().endpoint("/ws", new WsListener() {
                    @Override
                    public void onOpen(WsSession session) {
                        SessionSink sink = new SessionSink(countingWrites(session));
                        script.run(sink);
                    }
                }))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void gatheredFramesLeaveInOneSocketWrite() throws Exception {
        List<String> received = run(sink -> {
            SOCKET_WRITES.set(0);
            for (String text : List.of("one", "two", "three", "vier ✓")) {
                sink.text(Frame.of(text));
            }
            assertEquals(0, SOCKET_WRITES.get(), "nothing leaves before flush");
            sink.flush();
            assertEquals(1, SOCKET_WRITES.get(), "four frames, one write");
            sink.flush();
            assertEquals(1, SOCKET_WRITES.get(), "a flush with nothing gathered writes nothing");
        }, 4);
        assertEquals(List.of("one", "two", "three", "vier ✓"), received);
    }

    @Test
    void aBatchAndTheFramesAroundItLeaveInOneWrite() throws Exception {
        List<String> received = run(sink -> {
            SOCKET_WRITES.set(0);
            sink.text(Frame.of("before"));
            sink.batch(List.of(Frame.of("{\"n\":1}"), Frame.of("{\"n\":2}")));
            sink.text(Frame.of("after"));
            sink.flush();
            assertEquals(1, SOCKET_WRITES.get());
        }, 3);
        assertEquals(List.of("before", "{\"n\":1}\n{\"n\":2}", "after"), received);
    }

    /** A frame of 60,000 bytes (more than the socket's 8 KiB buffers) is one write and one whole message. */
    @Test
    void aLargeFrameArrivesWhole() throws Exception {
        String large = "ü✓🚀x".repeat(6_000);
        List<String> received = run(sink -> {
            sink.text(Frame.of(large));
            sink.flush();
        }, 1);
        assertEquals(large, received.getFirst());
    }

    /** Connects, lets the listener run {@code script} and returns the first {@code count} whole messages. */
    private static List<String> run(SinkScript script, int count) throws Exception {
        BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        SessionSinkOnHelidonTest.script = sink -> {
            try {
                script.run(sink);
            } catch (Throwable e) {
                messages.add(e); // an assertion on the server side fails the test
            }
        };
        WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                })
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            List<String> received = new ArrayList<>();
            while (received.size() < count) {
                Object next = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(next, "received only " + received);
                if (next instanceof Throwable failure) {
                    throw new AssertionError(failure);
                }
                received.add((String) next);
            }
            return received;
        } finally {
            client.abort();
        }
    }

    /** The session, with a socket context whose data writer counts the writes that reach the socket. */
    private static WsSession countingWrites(WsSession session) {
        ConnectionContext real = (ConnectionContext) session.socketContext();
        DataWriter counted = new DataWriter() {
            @Override
            public void write(BufferData... buffers) {
                SOCKET_WRITES.incrementAndGet();
                real.dataWriter().write(buffers);
            }

            @Override
            public void write(BufferData buffer) {
                SOCKET_WRITES.incrementAndGet();
                real.dataWriter().write(buffer);
            }

            @Override
            public void writeNow(BufferData... buffers) {
                SOCKET_WRITES.incrementAndGet();
                real.dataWriter().writeNow(buffers);
            }

            @Override
            public void writeNow(BufferData buffer) {
                SOCKET_WRITES.incrementAndGet();
                real.dataWriter().writeNow(buffer);
            }
        };
        ConnectionContext context = (ConnectionContext) Proxy.newProxyInstance(SessionSinkOnHelidonTest.class.getClassLoader(),
                new Class<?>[] {ConnectionContext.class},
                (proxy, method, args) -> method.getName().equals("dataWriter") ? counted : method.invoke(real, args));
        return (WsSession) Proxy.newProxyInstance(SessionSinkOnHelidonTest.class.getClassLoader(), new Class<?>[] {WsSession.class},
                (proxy, method, args) -> method.getName().equals("socketContext") ? context : method.invoke(session, args));
    }
}

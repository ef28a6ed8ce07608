package io.switchboard.adapters.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataListener;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.LazyString;
import io.helidon.webserver.spi.ServerConnection;

import java.lang.reflect.Field;
import java.nio.charset.Charset;

/**
 * A WebSocket connection's frame reader that does not wait for bytes it does not need. Helidon 4.0.5
 * reads a frame's payload with {@code DataReader.readBuffer(length)}, which first waits until some
 * byte is available even when {@code length} is 0: a frame with an empty payload is only processed
 * once the client sends something more. A close frame without a status code is exactly that (it is
 * what a browser sends for {@code ws.close()}), so such a close was never answered. This reader hands
 * out an empty payload at once and passes everything else to Helidon's reader.
 *
 * <p>An empty close payload needs one more step: Helidon reads the status code from a close frame's
 * payload without checking that there is one, and answered a close without a status with 1011. RFC
 * 6455 7.1.5 says such a close is to be read as status 1005 ("no status received"), so the reader
 * hands Helidon that code, masked with the frame's mask as Helidon expects a client's payload to be;
 * Helidon then tells the listener 1005 and answers with 1000.
 *
 * <p>It replaces {@code WsConnection.dataReader} by reflection during the upgrade, on the connection's
 * own thread, before the first WebSocket read (as {@link ConnectionBuffers} does); if the field is
 * not there (another Helidon version) it logs once and leaves the reader alone.
 */
final class EmptyPayloadReader extends DataReader {
    private static final System.Logger LOG = System.getLogger(EmptyPayloadReader.class.getName());
    private static final Field READER = readerField();

    private static final int OPCODE_CLOSE = 0x8;
    private static final int NO_STATUS_RECEIVED = 1005;

    private final DataReader delegate;
    // Where the current frame stands; only the connection's reader thread uses these. A client frame
    // is read as: first header byte, second, 2 or 8 more length bytes, 4 mask bytes, then the payload.
    private boolean atFrameStart = true;
    private int opcode;
    /** The last four bytes read one by one: before a payload, the frame's mask. */
    private int lastFour;

    private EmptyPayloadReader(DataReader delegate) {
        super(() -> {
            throw new IllegalStateException("every read goes through the delegate");
        });
        this.delegate = delegate;
    }

    /** Whether the Helidon on the class path has the field this replaces. */
    static boolean installable() {
        return READER != null;
    }

    /**
     * Puts this reader in front of an upgraded WebSocket connection's own.
     *
     * @return whether it was installed
     */
    static boolean install(ServerConnection upgraded) {
        if (READER == null || !READER.getDeclaringClass().isInstance(upgraded)) {
            return false;
        }
        try {
            DataReader original = (DataReader) READER.get(upgraded);
            if (original == null || original instanceof EmptyPayloadReader) {
                return false;
            }
            READER.set(upgraded, new EmptyPayloadReader(original));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public BufferData readBuffer(int length) {
        atFrameStart = true; // frames are read header byte by byte, then the payload in one call
        if (length != 0) {
            return delegate.readBuffer(length);
        }
        if (opcode == OPCODE_CLOSE) {
            return BufferData.create(new byte[] {
                    (byte) ((NO_STATUS_RECEIVED >>> 8) ^ (lastFour >>> 24)),
                    (byte) (NO_STATUS_RECEIVED ^ (lastFour >>> 16))});
        }
        return BufferData.empty();
    }

    @Override
    public BufferData getBuffer(int length) {
        return length == 0 ? BufferData.empty() : delegate.getBuffer(length);
    }

    @Override
    public int available() {
        return delegate.available();
    }

    @Override
    public void pullData() {
        delegate.pullData();
    }

    @Override
    public void skip(int length) {
        if (length > 0) {
            delegate.skip(length);
        }
    }

    @Override
    public void ensureAvailable() {
        delegate.ensureAvailable();
    }

    @Override
    public byte read() {
        byte b = delegate.read();
        if (atFrameStart) {
            opcode = b & 0x0F;
            atFrameStart = false;
        }
        lastFour = (lastFour << 8) | (b & 0xFF);
        return b;
    }

    @Override
    public byte lookup() {
        return delegate.lookup();
    }

    @Override
    public boolean startsWithNewLine() {
        return delegate.startsWithNewLine();
    }

    @Override
    public boolean startsWith(byte[] prefix) {
        return delegate.startsWith(prefix);
    }

    @Override
    public BufferData readBuffer() {
        return delegate.readBuffer();
    }

    @Override
    public LazyString readLazyString(Charset charset, int length) {
        return delegate.readLazyString(charset, length);
    }

    @Override
    public String readAsciiString(int length) {
        return delegate.readAsciiString(length);
    }

    @Override
    public String readLine() throws IncorrectNewLineException {
        return delegate.readLine();
    }

    @Override
    public int findOrNewLine(byte b, int max) throws IncorrectNewLineException {
        return delegate.findOrNewLine(b, max);
    }

    @Override
    public String debugDataHex() {
        return delegate.debugDataHex();
    }

    @Override
    public int findNewLine(int max) throws IncorrectNewLineException {
        return delegate.findNewLine(max);
    }

    @Override
    public <T> void listener(DataListener<T> listener, T context) {
        delegate.listener(listener, context);
    }

    private static Field readerField() {
        try {
            Field field = Class.forName("io.helidon.webserver.websocket.WsConnection").getDeclaredField("dataReader");
            if (!DataReader.class.isAssignableFrom(field.getType())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "WebSocket frames with an empty payload wait for more bytes (Helidon's reader): " + e);
            return null;
        }
    }
}

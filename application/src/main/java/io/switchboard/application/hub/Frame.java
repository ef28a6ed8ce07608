package io.switchboard.application.hub;

import java.util.function.Function;

/**
 * The text of one outbound frame, and a place for a transport to keep its encoding of that text.
 * An event's frame is rendered once per dialect and handed to every subscriber's writer as the same
 * {@code Frame}, so the transport encodes it once too, however far behind a writer is.
 */
public final class Frame {
    private final String text;
    private volatile Encoding encoding;

    private Frame(String text) {
        this.text = text;
    }

    public static Frame of(String text) {
        return new Frame(text);
    }

    public String text() {
        return text;
    }

    /**
     * The text as {@code encoder} encodes it, computed once per encoder (a benign race may compute it
     * twice); pass the same encoder instance every time. Callers must not modify the result.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(Function<String, T> encoder) {
        Encoding e = encoding;
        if (e != null && e.encoder == encoder) {
            return (T) e.value;
        }
        T value = encoder.apply(text);
        encoding = new Encoding(encoder, value);
        return value;
    }

    @Override
    public String toString() {
        return text;
    }

    private record Encoding(Function<String, ?> encoder, Object value) {
    }
}

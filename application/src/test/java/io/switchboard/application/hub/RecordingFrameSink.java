package io.switchboard.application.hub;

import io.switchboard.application.json.JsonTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a client would see on its socket, in order: each text frame, pings, and how the socket ended
 * (a close frame with its code, or cut without one).
 */
final class RecordingFrameSink implements FrameSink {
    private final List<String> texts = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();

    @Override
    public void text(Frame frame) {
        texts.add(frame.text());
        seen.add(summary(frame.text()));
    }

    @Override
    public void ping() {
        seen.add("ping");
    }

    @Override
    public void pong(byte[] payload) {
        seen.add("pong");
    }

    @Override
    public void close(int code, String reason) {
        seen.add("close " + code);
    }

    @Override
    public void abort() {
        seen.add("cut");
    }

    /**
     * One line per thing the client saw: a frame's {@code type} (an event's with its id, an error's and a
     * disconnect's with their code), {@code ping}, {@code close <code>} or {@code cut}.
     */
    List<String> seen() {
        return List.copyOf(seen);
    }

    /** The text frames, as written. */
    List<String> texts() {
        return List.copyOf(texts);
    }

    /** The last text frame of {@code type}, parsed. */
    Map<?, ?> last(String type) {
        for (int i = texts.size() - 1; i >= 0; i--) {
            Map<?, ?> frame = (Map<?, ?>) JsonTree.parse(texts.get(i));
            if (type.equals(frame.get("type"))) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " frame in " + texts);
    }

    private static String summary(String text) {
        Map<?, ?> frame = (Map<?, ?>) JsonTree.parse(text);
        Object type = frame.get("type");
        if (frame.get("id") != null) {
            return type + " " + frame.get("id");
        }
        if ("error".equals(type) || "disconnect".equals(type)) {
            return type + " " + ((Map<?, ?>) frame.get("data")).get("code");
        }
        return String.valueOf(type);
    }
}

package io.switchboard.application.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames a batching client ({@code batch=1}) gets in its next message. They are kept as the
 * fan-out's shared frames and joined by the sink, which can do it from their shared encodings.
 */
final class BatchedFrames {
    private final List<Frame> frames = new ArrayList<>();
    private int chars;

    /** Whether {@code frame} still fits in a message of at most {@code maxChars} (a first frame always does). */
    boolean fits(Frame frame, int maxChars) {
        return frames.isEmpty() || chars + 1 + frame.text().length() <= maxChars;
    }

    void add(Frame frame) {
        chars += frames.isEmpty() ? frame.text().length() : 1 + frame.text().length();
        frames.add(frame);
    }

    /** Writes what was gathered as one message (a lone frame as itself) and starts over. */
    void writeTo(FrameSink sink) {
        if (frames.size() == 1) {
            sink.text(frames.get(0));
        } else if (frames.size() > 1) {
            sink.batch(frames);
        }
        frames.clear();
        chars = 0;
    }
}

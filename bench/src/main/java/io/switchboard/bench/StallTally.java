package io.switchboard.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What became of stalled readers: subscribed to the room, then not reading for a while; when they read
 * again, had the hub ended them ({@code cut}: the socket closed, or the stream or a close frame at its
 * end) or were they still open ({@code notCut})?
 */
final class StallTally {
    /** Not answered as asked: an SSE status other than 200, a WebSocket closed before it joined. */
    final Openings openings = new Openings();
    long subscribed;
    long cut;
    long notCut;
    /** Ended with a close frame, whose socket the hub still held open 3 s after it was read (the frame unanswered). */
    long leftOpen;
    /** Ended by the hub while subscribed and reading (before they stalled). */
    long endedWhileReading;
    /** How the hub ended them, as the reader found it when it read again. */
    final Map<String, Integer> cutHow = new TreeMap<>();

    void cut(String how) {
        cut++;
        cutHow.merge(how, 1, Integer::sum);
    }
}

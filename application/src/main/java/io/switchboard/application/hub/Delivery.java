package io.switchboard.application.hub;

import io.switchboard.domain.Event;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A room event on its way to subscribers. Rendered once per dialect, however many subscribers
 * it reaches; {@code receivedNanos} is when the hub heard of it, for delivery latency.
 */
public final class Delivery implements Outbound {
    private final Event event;
    private final long receivedNanos;
    private final boolean live;
    private static final int MAX_RENDERINGS = 4;
    private static final Rendering[] NONE = new Rendering[0];

    private volatile Rendering[] renderings = NONE;

    public Delivery(Event event, long receivedNanos, boolean live) {
        this.event = event;
        this.receivedNanos = receivedNanos;
        this.live = live;
    }

    public Event event() {
        return event;
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    /** Live deliveries count towards latency; replayed ones do not. */
    public boolean live() {
        return live;
    }

    /**
     * The frame text for {@code renderer}, computed once per renderer (a benign race may compute it
     * twice). A few renderers are remembered at once, so subscribers in different dialects (WebSocket,
     * SSE, Socket.IO) do not take turns rendering the event again.
     */
    public String frame(Function<Event, String> renderer) {
        Rendering[] known = renderings;
        for (Rendering r : known) {
            if (r.renderer == renderer) {
                return r.frame.text();
            }
        }
        String frame = renderer.apply(event);
        if (known.length < MAX_RENDERINGS) {
            Rendering[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = new Rendering(renderer, Frame.of(frame));
            renderings = more; // a racing writer's rendering may be lost: it is computed again if asked for
        }
        return frame;
    }

    /**
     * The shared {@link Frame} of {@code text} when it is one of this delivery's renderings (what a
     * dialect returned from {@link #frame}), so every subscriber's transport shares one encoding; else a new one.
     */
    Frame shared(String text) {
        for (Rendering r : renderings) {
            if (r.frame.text() == text) {
                return r.frame;
            }
        }
        return Frame.of(text);
    }

    /**
     * Only live events count against the connection's bounds. A replay is already bounded by the
     * room's history (whose events it shares); counting it would close a client resuming after
     * 4010 again whenever its gap is larger than the queue, so it could never catch up.
     */
    @Override
    public boolean bounded() {
        return live;
    }

    @Override
    public int approximateBytes() {
        return event.approximateBytes();
    }

    private record Rendering(Function<Event, String> renderer, Frame frame) {
    }
}

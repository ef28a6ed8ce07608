package io.switchboard.application.hub;

import io.switchboard.domain.Event;

import java.util.function.Function;

/**
 * A room event on its way to subscribers. Rendered once per dialect, however many subscribers
 * it reaches; {@code receivedNanos} is when the hub heard of it, for delivery latency.
 */
public final class Delivery implements Outbound {
    private final Event event;
    private final long receivedNanos;
    private final boolean live;
    private volatile Rendering rendering;

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

    /** The frame text for {@code renderer}, computed once per renderer (a benign race may compute it twice). */
    public String frame(Function<Event, String> renderer) {
        Rendering r = rendering;
        if (r != null && r.renderer == renderer) {
            return r.frame;
        }
        String frame = renderer.apply(event);
        rendering = new Rendering(renderer, frame);
        return frame;
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

    private record Rendering(Function<Event, String> renderer, String frame) {
    }
}

package io.switchboard.application.port.out;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;

import java.util.List;

/** Where published events go in, and where every node hears them come out. */
public interface EventBus {

    /** Stores the drafts atomically (all or none), assigning ids; returns them in draft order. */
    List<Event> append(List<EventDraft> drafts);

    /**
     * Registers the node's listener. For each room, it hears every event once, in id order, and
     * only after the event can be read from the {@link EventLog}: one at a time, or as a run of
     * consecutive events of one room (a batch appended together).
     */
    void subscribe(EventListener listener);

    @FunctionalInterface
    interface EventListener {
        void onEvent(Event event);

        /**
         * A run of consecutive events of one room, in id order (e.g. one publish of many events):
         * a listener that can take them together (the fan-out: one queue operation per subscriber
         * for the lot) overrides this; by default each is heard alone.
         */
        default void onEvents(List<Event> run) {
            run.forEach(this::onEvent);
        }
    }
}

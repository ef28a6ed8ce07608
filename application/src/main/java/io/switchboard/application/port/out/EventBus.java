package io.switchboard.application.port.out;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;

import java.util.List;

/** Where published events go in, and where every node hears them come out. */
public interface EventBus {

    /** Stores the drafts atomically (all or none), assigning ids; returns them in draft order. */
    List<Event> append(List<EventDraft> drafts);

    /**
     * Registers the node's listener. For each room, it is called once per event, in id order,
     * and only after the event can be read from the {@link EventLog}.
     */
    void subscribe(EventListener listener);

    @FunctionalInterface
    interface EventListener {
        void onEvent(Event event);
    }
}

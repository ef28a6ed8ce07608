package io.switchboard.application.publish;

import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import java.util.ArrayList;
import java.util.List;

/**
 * The event bus as every publishing path sees it (the publish API, the domain-event bridge, webhook
 * capture): it redacts each draft before the real bus stores it, so neither the log, a replay nor
 * any client ever holds the redacted fields.
 */
public final class RedactingBus implements EventBus {
    private final EventBus bus;
    private final Redaction redaction;
    private final HubMetrics metrics;

    public RedactingBus(EventBus bus, Redaction redaction, HubMetrics metrics) {
        this.bus = bus;
        this.redaction = redaction;
        this.metrics = metrics;
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        if (redaction.none()) {
            return bus.append(drafts);
        }
        List<EventDraft> redacted = new ArrayList<>(drafts.size());
        int changed = 0;
        for (EventDraft draft : drafts) {
            EventDraft after = redaction.apply(draft);
            if (after != draft) {
                changed++;
            }
            redacted.add(after);
        }
        List<Event> stored = bus.append(redacted);
        metrics.redacted(changed);
        return stored;
    }

    @Override
    public void subscribe(EventListener listener) {
        bus.subscribe(listener);
    }
}

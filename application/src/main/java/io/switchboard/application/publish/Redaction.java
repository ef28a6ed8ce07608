package io.switchboard.application.publish;

import io.switchboard.application.json.FieldEdits;
import io.switchboard.domain.EventDraft;
import java.util.List;
import java.util.Set;

/**
 * What must never leave the hub for events of given types ({@code hub.redaction}): fields dropped
 * or shortened in an event's data before it is stored or sent (seed 000: {@code query_complete}
 * without the query, {@code error} without the stack trace).
 */
public record Redaction(List<Rule> rules) {
    public static final Redaction NONE = new Redaction(List.of());

    /** One entry: the event types it covers and what it does to their data. */
    public record Rule(Set<String> types, FieldEdits edits) {
        public Rule {
            types = Set.copyOf(types);
        }
    }

    public Redaction {
        rules = List.copyOf(rules);
    }

    public boolean none() {
        return rules.isEmpty();
    }

    /** The draft with its data redacted by every rule covering its type, or {@code draft} itself when nothing changed. */
    public EventDraft apply(EventDraft draft) {
        String data = draft.data();
        for (Rule rule : rules) {
            if (rule.types().contains(draft.type())) {
                data = rule.edits().apply(data);
            }
        }
        return data.equals(draft.data()) ? draft
                : new EventDraft(draft.room(), draft.type(), data, draft.meta(), draft.critical(), draft.key(), draft.occurredAt());
    }
}

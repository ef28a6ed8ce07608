package io.switchboard.application.bridge;

import io.switchboard.application.json.JsonTree;
import io.switchboard.application.port.in.DomainEvent;
import io.switchboard.application.port.in.DomainEventCommand;
import io.switchboard.application.port.in.DomainEventReceipt;
import io.switchboard.application.port.in.EventSubmission;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.PublishCommand;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.port.in.PublishReceipt;
import io.switchboard.application.port.in.PublishDomainEventsUseCase;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.application.hub.HubMetrics.BridgeOutcome;
import io.switchboard.domain.RoomName;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The domain-event bridge (seed 001's {@code WebSocketEventBridge}, as configuration): every rule that
 * takes a domain event makes one hub event of it, and all of them are published through the publish
 * use case, so they are validated, redacted, stored and delivered like any other. A domain event no
 * rule takes is <em>unmatched</em>; one whose every room template misses a value is <em>unroutable</em>.
 * Both are counted and ignored, not errors: applications post their whole event stream.
 */
public final class DomainEventBridge implements PublishDomainEventsUseCase {
    private static final Pattern SUBMISSION_FIELD = Pattern.compile("^\\[(\\d+)]\\.?");

    private final List<BridgeRule> rules;
    private final PublishEventsUseCase publish;
    private final HubMetrics metrics;

    public DomainEventBridge(List<BridgeRule> rules, PublishEventsUseCase publish, HubMetrics metrics) {
        this.rules = List.copyOf(rules);
        this.publish = publish;
        this.metrics = metrics;
    }

    @Override
    public DomainEventReceipt publish(DomainEventCommand command) {
        return publish(command, publish, () -> { }, true);
    }

    /**
     * Bridges domain events of the bus intake: publishes through {@code via}, or when no rule makes an
     * event of them runs {@code nothingToPublish} instead; outcomes are counted only after either
     * succeeded, so a node that lost the intake event to another counts nothing. A malformed envelope
     * is not counted as invalid input here: the intake counts it once, as rejected.
     */
    DomainEventReceipt publish(DomainEventCommand command, PublishEventsUseCase via, Runnable nothingToPublish) {
        return publish(command, via, nothingToPublish, false);
    }

    private DomainEventReceipt publish(DomainEventCommand command, PublishEventsUseCase via, Runnable nothingToPublish,
                                       boolean countInvalid) {
        List<Problem> problems = new ArrayList<>(command.readProblems());
        List<DomainEvent> events = command.events();
        if (events.isEmpty()) {
            problems.add(new Problem("", "no domain events; send an envelope or a non-empty array of them"));
        }
        List<Envelope> envelopes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            envelopes.add(envelope(events.get(i), command.batch() ? "[" + i + "]." : "", problems));
        }
        if (!problems.isEmpty()) {
            if (countInvalid) {
                metrics.invalidInput();
            }
            throw new InvalidInputException(problems);
        }
        List<EventSubmission> submissions = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        List<BridgeOutcome> outcomes = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            outcomes.add(route(envelopes.get(i), command.batch() ? "[" + i + "]." : "", submissions, origins, problems));
        }
        if (!problems.isEmpty()) {
            if (countInvalid) {
                metrics.invalidInput();
            }
            throw new InvalidInputException(problems);
        }
        Map<String, String> ids = new LinkedHashMap<>();
        if (!submissions.isEmpty()) {
            PublishReceipt receipt;
            try {
                receipt = via.publish(new PublishCommand(submissions, true, null, "bridge", List.of()));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(e.problems().stream().map(p -> blame(p, origins)).toList());
            }
            receipt.ids().forEach(ids::putAll);
        } else {
            nothingToPublish.run();
        }
        outcomes.forEach(metrics::bridged);
        int ignored = (int) outcomes.stream().filter(o -> o != BridgeOutcome.PUBLISHED).count();
        return new DomainEventReceipt(submissions.size(), ids, ignored);
    }

    private static Envelope envelope(DomainEvent event, String at, List<Problem> problems) {
        if (event == DomainEvent.UNREADABLE) {
            return null;
        }
        if (event.eventType() == null || event.eventType().isBlank()) {
            problems.add(new Problem(at + "eventType", "eventType is required"));
        }
        Map<String, Object> payload = object(event.payload(), at + "payload", problems);
        Map<String, Object> metadata = object(event.metadata(), at + "metadata", problems);
        return new Envelope(event, payload, metadata);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json, String field, List<Problem> problems) {
        if (json == null) {
            return null;
        }
        Object tree;
        try {
            tree = JsonTree.parse(json);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(field, e.getMessage()));
            return null;
        }
        if (tree == null) {
            return null;
        }
        if (!(tree instanceof Map<?, ?>)) {
            problems.add(new Problem(field, field.substring(field.lastIndexOf('.') + 1) + " must be a JSON object"));
            return null;
        }
        return (Map<String, Object>) tree;
    }

    /** Adds one submission per rule that takes the envelope and resolves a room. */
    private BridgeOutcome route(Envelope envelope, String at, List<EventSubmission> submissions, List<String> origins,
                                List<Problem> problems) {
        boolean matched = false;
        boolean routed = false;
        for (int r = 0; r < rules.size(); r++) {
            BridgeRule rule = rules.get(r);
            if (!rule.takes(envelope)) {
                continue;
            }
            matched = true;
            String room = rule.room().resolve(envelope);
            if (room == null || RoomName.problemWith(room) != null) {
                continue;
            }
            routed = true;
            Map<String, String> meta = new LinkedHashMap<>();
            rule.meta().forEach((name, template) -> {
                String value = template.resolve(envelope);
                if (value != null) {
                    meta.put(name, value);
                }
            });
            String payload = envelope.event().payload();
            String data = payload == null || envelope.payload() == null ? "null" : rule.edits().apply(payload);
            Instant occurredAt = null;
            if (rule.timestampFromOccurredAt()) {
                occurredAt = occurredAt(envelope.event().occurredAt(), at, r, problems);
                if (occurredAt == null) {
                    continue;
                }
            }
            submissions.add(new EventSubmission(room, null, rule.type(), data, meta, rule.critical(),
                    rule.key() == null ? null : rule.key().resolve(envelope), occurredAt));
            origins.add(at + "rules[" + r + "]");
        }
        return routed ? BridgeOutcome.PUBLISHED : matched ? BridgeOutcome.UNROUTABLE : BridgeOutcome.UNMATCHED;
    }

    /**
     * The domain event's {@code occurredAt} as the event's timestamp (rule {@code timestamp: occurredAt}): an ISO-8601
     * instant with an offset ({@code 2026-01-07T10:00:00.123Z}, {@code ...+01:00}); missing or unreadable, a problem
     * naming the field and the rule, and {@code null}.
     */
    private static Instant occurredAt(String text, String at, int rule, List<Problem> problems) {
        String because = " (rules[" + rule + "] takes the event's timestamp from it: timestamp: occurredAt)";
        if (text == null || text.isBlank()) {
            problems.add(new Problem(at + "occurredAt", "occurredAt is required" + because));
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            problems.add(new Problem(at + "occurredAt", "occurredAt '" + abbreviate(text) + "' is not an ISO-8601 instant with an offset, "
                    + "e.g. 2026-01-07T10:00:00.123Z" + because));
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** Names a publish problem after the envelope and rule it came from: {@code [0].room} -> {@code [2].rules[1].room}. */
    private static Problem blame(Problem problem, List<String> origins) {
        Matcher m = SUBMISSION_FIELD.matcher(problem.field());
        if (!m.find()) {
            return problem;
        }
        int index = Integer.parseInt(m.group(1));
        if (index >= origins.size()) {
            return problem;
        }
        String rest = problem.field().substring(m.end());
        return new Problem(origins.get(index) + (rest.isEmpty() ? "" : "." + rest), problem.message());
    }
}

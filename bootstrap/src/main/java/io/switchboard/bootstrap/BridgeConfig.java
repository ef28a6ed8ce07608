package io.switchboard.bootstrap;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.switchboard.application.bridge.BridgeRule;
import io.switchboard.application.bridge.Template;
import io.switchboard.application.json.FieldEdits;
import io.switchboard.application.publish.Redaction;
import io.switchboard.domain.EventType;
import io.switchboard.domain.RoomName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code hub.bridge.rules} and {@code hub.redaction}: lists of objects in the configuration file
 * (no environment variables). Every problem names its key, e.g. {@code hub.bridge.rules.0.room}.
 */
record BridgeConfig(List<BridgeRule> rules, Redaction redaction, RoomName intakeRoom) {
    static final String RULES = "hub.bridge.rules";
    static final String INTAKE_ROOM = "hub.bridge.intake-room";
    /** The hub's own rooms with another purpose. */
    private static final Set<String> OTHER_HUB_ROOMS = Set.of("$stats", "$commands", "$audit");
    static final String REDACTION = "hub.redaction";

    private static final Set<String> RULE_SCALARS = Set.of("aggregate-type", "room", "type", "critical", "key", "timestamp");
    /** Where a rule's events take their timestamp from: the hub's time of publishing, or the domain event's occurredAt. */
    private static final List<String> TIMESTAMPS = List.of("published", "occurredAt");
    private static final Set<String> REDACTION_SCALARS = Set.of();
    /** Settings holding a list of names, or a map of names to values. */
    private static final Set<String> LISTS = Set.of("event-types", "types", "drop");
    private static final Set<String> MAPS = Set.of("meta", "truncate");

    static final BridgeConfig NONE = new BridgeConfig(List.of(), Redaction.NONE, new RoomName("$domain-events"));

    /** Whether {@code leaf} is a setting of this class's lists (the caller then asks {@link #known}). */
    static boolean covers(String leaf) {
        return leaf.startsWith("hub.bridge.") || leaf.equals(REDACTION) || leaf.startsWith(REDACTION + ".");
    }

    /**
     * Whether a leaf of a config file is a setting of a bridge rule or a redaction entry:
     * {@code hub.bridge.rules.<n>.room}, {@code hub.bridge.rules.<n>.event-types.<m>},
     * {@code hub.bridge.rules.<n>.meta.<field>}, {@code hub.redaction.<n>.drop.<m>}, …
     */
    static boolean known(String leaf) {
        if (leaf.equals(INTAKE_ROOM)) {
            return true;
        }
        if (leaf.startsWith(RULES + ".")) {
            return entrySetting(leaf.substring(RULES.length() + 1), RULE_SCALARS, Set.of("event-types", "drop"), MAPS);
        }
        if (leaf.startsWith(REDACTION + ".")) {
            return entrySetting(leaf.substring(REDACTION.length() + 1), REDACTION_SCALARS, Set.of("types", "drop"), Set.of("truncate"));
        }
        return false;
    }

    private static boolean entrySetting(String rest, Set<String> scalars, Set<String> lists, Set<String> maps) {
        String[] parts = rest.split("\\.", 3);
        if (parts.length < 2 || !parts[0].chars().allMatch(Character::isDigit) || parts[0].isEmpty()) {
            return false;
        }
        String setting = parts[1];
        if (parts.length == 2) {
            return scalars.contains(setting) || lists.contains(setting); // a list may be written as "a, b"
        }
        return (lists.contains(setting) && parts[2].chars().allMatch(Character::isDigit)) || maps.contains(setting);
    }

    static BridgeConfig read(ConfigValues values) {
        List<BridgeRule> rules = new ArrayList<>();
        List<Config> ruleNodes = entries(values, RULES);
        for (int i = 0; i < ruleNodes.size(); i++) {
            BridgeRule rule = rule(ruleNodes.get(i), RULES + "." + i, values);
            if (rule != null) {
                rules.add(rule);
            }
        }
        List<Redaction.Rule> redactions = new ArrayList<>();
        List<Config> redactionNodes = entries(values, REDACTION);
        for (int i = 0; i < redactionNodes.size(); i++) {
            Redaction.Rule rule = redaction(redactionNodes.get(i), REDACTION + "." + i, values);
            if (rule != null) {
                redactions.add(rule);
            }
        }
        return new BridgeConfig(rules, new Redaction(redactions), intakeRoom(values));
    }

    /** The intake room must be one of the hub's own rooms, so clients can neither join nor mistake it for theirs. */
    private static RoomName intakeRoom(ConfigValues values) {
        String name = values.text(INTAKE_ROOM).trim();
        String problem = RoomName.problemWith(name);
        if (problem == null && !name.startsWith("$")) {
            problem = "must start with $ (a room of the hub's own, which clients cannot join)";
        } else if (problem == null && OTHER_HUB_ROOMS.contains(name)) {
            problem = name + " is the hub's room for something else";
        }
        if (problem != null) {
            values.problem(INTAKE_ROOM + ": '" + name + "' " + problem);
            return NONE.intakeRoom();
        }
        return new RoomName(name);
    }

    private static List<Config> entries(ConfigValues values, String key) {
        return values.structured(key).map(node -> {
            if (node.type() != Config.Type.LIST) {
                values.problem(key + ": must be a list of entries");
                return List.<Config>of();
            }
            return node.asNodeList().orElse(List.of());
        }).orElse(List.of());
    }

    private static BridgeRule rule(Config entry, String key, ConfigValues values) {
        int before = values.problemCount();
        Set<String> eventTypes = names(entry, "event-types", key, values);
        if (eventTypes.isEmpty()) {
            values.problem(key + ".event-types: required; name the domain event types this rule takes");
        }
        String aggregateType = scalar(entry, "aggregate-type", key, values);
        Template room = template(entry, "room", key, values, true);
        String type = scalar(entry, "type", key, values);
        if (type == null) {
            values.problem(key + ".type: required; the type of the event published (e.g. dashboard.update)");
        } else if (EventType.problemWith(type) != null) {
            values.problem(key + ".type: " + EventType.problemWith(type));
        }
        Map<String, Template> meta = new LinkedHashMap<>();
        children(entry, "meta", key, values).forEach((name, text) -> {
            try {
                meta.put(name, Template.parse(text));
            } catch (IllegalArgumentException e) {
                values.problem(key + ".meta." + name + ": " + e.getMessage());
            }
        });
        FieldEdits edits = edits(entry, key, values);
        boolean critical = flag(entry, "critical", key, values);
        Template coalescingKey = template(entry, "key", key, values, false);
        String timestamp = scalar(entry, "timestamp", key, values);
        if (timestamp != null && !TIMESTAMPS.contains(timestamp)) {
            values.problem(key + ".timestamp: '" + timestamp + "' is not one of " + String.join(", ", TIMESTAMPS));
        }
        if (values.problemCount() > before) {
            return null;
        }
        try {
            return new BridgeRule(eventTypes, aggregateType, room, type, meta, edits, critical, coalescingKey,
                    "occurredAt".equals(timestamp));
        } catch (IllegalArgumentException e) {
            values.problem(key + "." + e.getMessage());
            return null;
        }
    }

    private static Redaction.Rule redaction(Config entry, String key, ConfigValues values) {
        int before = values.problemCount();
        Set<String> types = names(entry, "types", key, values);
        if (types.isEmpty()) {
            values.problem(key + ".types: required; name the event types to redact");
        }
        FieldEdits edits = edits(entry, key, values);
        if (edits.none() && values.problemCount() == before) {
            values.problem(key + ": redacts nothing; give drop: [fields] or truncate: {field: characters}");
        }
        return values.problemCount() > before ? null : new Redaction.Rule(types, edits);
    }

    private static FieldEdits edits(Config entry, String key, ConfigValues values) {
        Set<String> drop = names(entry, "drop", key, values);
        Map<String, Integer> truncate = new LinkedHashMap<>();
        children(entry, "truncate", key, values).forEach((name, text) -> {
            try {
                int max = Integer.parseInt(text.trim());
                if (max < 0) {
                    throw new NumberFormatException();
                }
                truncate.put(name, max);
            } catch (NumberFormatException e) {
                values.problem(key + ".truncate." + name + ": '" + text + "' is not a whole number of characters (0 or more)");
            }
        });
        return new FieldEdits(drop, truncate);
    }

    private static String scalar(Config entry, String name, String key, ConfigValues values) {
        Config node = entry.get(name);
        if (!node.exists()) {
            return null;
        }
        if (!node.isLeaf()) {
            values.problem(key + "." + name + ": must be a single value");
            return null;
        }
        String text = node.asString().get().trim();
        return text.isEmpty() ? null : text;
    }

    private static Template template(Config entry, String name, String key, ConfigValues values, boolean required) {
        String text = scalar(entry, name, key, values);
        if (text == null) {
            if (required) {
                values.problem(key + "." + name + ": required; a room template such as session:{aggregateId}");
            }
            return null;
        }
        try {
            return Template.parse(text);
        } catch (IllegalArgumentException e) {
            values.problem(key + "." + name + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean flag(Config entry, String name, String key, ConfigValues values) {
        String text = scalar(entry, name, key, values);
        if (text == null || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (!text.equalsIgnoreCase("true")) {
            values.problem(key + "." + name + ": '" + text + "' is not true or false");
        }
        return true;
    }

    /** A list of names, written as a YAML list or as one comma-separated value. */
    private static Set<String> names(Config entry, String name, String key, ConfigValues values) {
        Config node = entry.get(name);
        if (!node.exists()) {
            return Set.of();
        }
        try {
            List<String> list = node.isLeaf()
                    ? Arrays.stream(node.asString().get().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                    : node.asList(String.class).get();
            return new LinkedHashSet<>(list);
        } catch (ConfigException e) {
            values.problem(key + "." + name + ": must be a list of names");
            return Set.of();
        }
    }

    /** The fields of an object setting ({@code meta}, {@code truncate}) as text. */
    private static Map<String, String> children(Config entry, String name, String key, ConfigValues values) {
        Config node = entry.get(name);
        Map<String, String> fields = new LinkedHashMap<>();
        if (!node.exists()) {
            return fields;
        }
        if (node.type() != Config.Type.OBJECT) {
            values.problem(key + "." + name + ": must be an object of field: value");
            return fields;
        }
        for (Config field : node.asNodeList().orElse(List.of())) {
            if (field.isLeaf()) {
                fields.put(field.name(), field.asString().get());
            } else {
                values.problem(key + "." + name + "." + field.name() + ": must be a single value");
            }
        }
        return fields;
    }
}

package io.switchboard.bootstrap;

import io.switchboard.application.presence.PresenceSettings;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads presence: {@code hub.namespaces.<ns>.presence}, {@code .presence-events}, {@code .presence-max-members}
 * and {@code hub.presence.node-expiry}.
 *
 * @param nodeExpiry on PostgreSQL, how long a node's members stay after its last heartbeat (a dead node's
 *                   members leave within this plus a third of it)
 */
record PresenceConfig(PresenceSettings namespaces, Duration nodeExpiry) {
    static final String NODE_EXPIRY = "hub.presence.node-expiry";
    /**
     * The longest expiry that still removes a dead node's members within 30 s (SPEC 16): 22 s, plus a beat
     * of a third of it, plus the half second a beat may wait for the listening thread's poll.
     */
    static final Duration LONGEST_EXPIRY = Duration.ofSeconds(22);
    /** The shortest: a node beats from a thread that wakes every 500 ms, so a third of the expiry must not be shorter. */
    static final Duration SHORTEST_EXPIRY = Duration.ofMillis(1500);

    static PresenceConfig read(ConfigValues values) {
        Map<String, String> kept = values.perNamespace("presence");
        Map<String, String> events = values.perNamespace("presence-events");
        Map<String, String> bounds = values.perNamespace("presence-max-members");
        Map<String, PresenceSettings.Namespace> namespaces = new TreeMap<>();
        TreeSet<String> named = new TreeSet<>(kept.keySet());
        named.addAll(events.keySet());
        named.addAll(bounds.keySet());
        for (String namespace : named) {
            boolean on = flag(values, namespace, "presence", kept.getOrDefault(namespace, "false"));
            boolean told = flag(values, namespace, "presence-events", events.getOrDefault(namespace, "false"));
            int max = bound(values, namespace, bounds.get(namespace));
            if (on) {
                namespaces.put(namespace, new PresenceSettings.Namespace(told, max));
            } else if (told || bounds.containsKey(namespace)) {
                values.problem(key(namespace, told ? "presence-events" : "presence-max-members") + ": needs "
                        + key(namespace, "presence") + ": true");
            }
        }
        Duration expiry = values.duration(NODE_EXPIRY);
        if (expiry.compareTo(SHORTEST_EXPIRY) < 0 || expiry.compareTo(LONGEST_EXPIRY) > 0) {
            values.problem(NODE_EXPIRY + ": '" + expiry.toMillis() + "ms' must be from 1500ms to 22s (a node beats every third"
                    + " of it, at most twice a second; a dead node's members must leave within 30 s)");
        }
        return new PresenceConfig(new PresenceSettings(namespaces), expiry);
    }

    private static boolean flag(ConfigValues values, String namespace, String setting, String text) {
        String value = text.trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            values.problem(key(namespace, setting) + ": '" + text + "' is not true or false");
        }
        return value.equalsIgnoreCase("true");
    }

    private static int bound(ConfigValues values, String namespace, String text) {
        if (text == null) {
            return PresenceSettings.DEFAULT_MAX_MEMBERS;
        }
        try {
            int parsed = Integer.parseInt(text.trim());
            if (parsed >= 1 && parsed <= 10_000_000) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        values.problem(key(namespace, "presence-max-members") + ": '" + text + "' is not a whole number from 1 to 10000000");
        return PresenceSettings.DEFAULT_MAX_MEMBERS;
    }

    private static String key(String namespace, String setting) {
        return ConfigSchema.NAMESPACES + "." + namespace + "." + setting;
    }
}

package io.switchboard.bootstrap;

import io.switchboard.application.hub.DeliveryRules;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the delivery rules: {@code hub.namespaces.<ns>.throttle}, {@code .ack-timeout},
 * {@code .ack-retries} and {@code hub.connection.idle-timeout} (0 = off).
 */
final class DeliveryConfig {
    static final String IDLE_TIMEOUT = "hub.connection.idle-timeout";

    private DeliveryConfig() {
    }

    static DeliveryRules read(ConfigValues values) {
        Map<String, Duration> throttles = new TreeMap<>();
        values.perNamespace("throttle").forEach((namespace, text) -> {
            Duration window = positive(values, key(namespace, "throttle"), text);
            if (window != null) {
                throttles.put(namespace, window);
            }
        });
        Map<String, String> timeouts = values.perNamespace("ack-timeout");
        Map<String, String> retries = values.perNamespace("ack-retries");
        Map<String, DeliveryRules.AckRule> acks = new TreeMap<>();
        Set<String> namespaces = new TreeSet<>(timeouts.keySet());
        namespaces.addAll(retries.keySet());
        for (String namespace : namespaces) {
            Duration timeout = timeouts.containsKey(namespace)
                    ? positive(values, key(namespace, "ack-timeout"), timeouts.get(namespace))
                    : DeliveryRules.DEFAULT_ACK.timeout();
            int count = retries.containsKey(namespace)
                    ? retries(values, key(namespace, "ack-retries"), retries.get(namespace))
                    : DeliveryRules.DEFAULT_ACK.retries();
            if (timeout != null && count >= 0) {
                acks.put(namespace, new DeliveryRules.AckRule(timeout, count));
            }
        }
        return new DeliveryRules(throttles, acks, DeliveryRules.DEFAULT_ACK, idleTimeout(values));
    }

    private static Duration idleTimeout(ConfigValues values) {
        return values.durationOrOff(IDLE_TIMEOUT);
    }

    private static Duration positive(ConfigValues values, String key, String text) {
        Duration parsed = ConfigValues.parseDuration(text.trim());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            values.problem(key + ": '" + text + "' is not a positive duration (e.g. 500ms, 1s, 10s)");
            return null;
        }
        return parsed;
    }

    private static int retries(ConfigValues values, String key, String text) {
        try {
            int parsed = Integer.parseInt(text.trim());
            if (parsed >= 0 && parsed <= 100) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        values.problem(key + ": '" + text + "' is not a whole number from 0 to 100");
        return -1;
    }

    private static String key(String namespace, String setting) {
        return ConfigSchema.NAMESPACES + "." + namespace + "." + setting;
    }
}

package io.switchboard.application.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Text with placeholders over a domain event: {@code session:{aggregateId}},
 * {@code {payload.session_id}}, {@code {metadata.correlationId}}. Placeholders are
 * {@code eventType}, {@code aggregateType}, {@code aggregateId}, {@code occurredAt}, and
 * {@code payload.a.b} / {@code metadata.x} paths into objects. Checked when the configuration is read.
 */
public final class Template {
    private static final Set<String> FIELDS = Set.of("eventType", "aggregateType", "aggregateId", "occurredAt");

    private final String text;
    /** Literal text and placeholder names, alternating, starting with literal text (possibly empty). */
    private final List<String> parts;

    private Template(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * @throws IllegalArgumentException naming the problem, for an unclosed brace or an unknown placeholder
     */
    public static Template parse(String text) {
        List<String> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = text.indexOf('{', at);
            int stray = text.indexOf('}', at);
            if (stray >= 0 && (open < 0 || stray < open)) {
                throw new IllegalArgumentException("'" + text + "' has a '}' without its '{'");
            }
            if (open < 0) {
                parts.add(text.substring(at));
                return new Template(text, List.copyOf(parts));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has a '{' without its '}'");
            }
            String name = text.substring(open + 1, close);
            if (!placeholder(name)) {
                throw new IllegalArgumentException("'" + text + "' names {" + name + "}; a placeholder is one of {eventType}, "
                        + "{aggregateType}, {aggregateId}, {occurredAt}, {payload.<field>[.<field>…]}, {metadata.<field>…}");
            }
            parts.add(text.substring(at, open));
            parts.add(name);
            at = close + 1;
        }
    }

    private static boolean placeholder(String name) {
        if (FIELDS.contains(name)) {
            return true;
        }
        for (String root : List.of("payload.", "metadata.")) {
            if (name.startsWith(root)) {
                String path = name.substring(root.length());
                return !path.isEmpty() && !path.startsWith(".") && !path.endsWith(".") && !path.contains("..")
                        && !path.contains("{");
            }
        }
        return false;
    }

    /** The text with every placeholder filled in, or {@code null} when a value is missing or empty. */
    String resolve(Envelope envelope) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                out.append(parts.get(i));
                continue;
            }
            String value = envelope.value(parts.get(i));
            if (value == null || value.isEmpty()) {
                return null;
            }
            out.append(value);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}

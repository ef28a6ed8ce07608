package io.switchboard.adapters.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the parameters of a path template from a request path. Helidon's WebSocket routing matches
 * templates but hands its listener only the prologue, so the listener extracts the values itself.
 */
final class PathTemplate {
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    private final Pattern pattern;
    private final List<String> names = new ArrayList<>();

    PathTemplate(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAMETER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        pattern = Pattern.compile(regex.toString());
    }

    /** The parameters' values in {@code path}; empty when the template has none or does not match. */
    Map<String, String> parameters(String path) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return Map.of();
        }
        Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), m.group(i + 1));
        }
        return values;
    }
}

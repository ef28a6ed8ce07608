package io.switchboard.bootstrap;

import io.switchboard.application.hooks.ConnectHooks;
import io.switchboard.application.hooks.Hook;
import io.switchboard.application.hooks.HookKind;
import io.switchboard.application.hooks.NamespaceHooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The backend hooks (SPEC 16): {@code hooks.connect} of the built-in endpoints
 * ({@code hub.websocket.hooks.connect.*}, {@code hub.sse.hooks.connect.*}, {@code hub.socket-io.hooks.connect.*})
 * and of each configured endpoint ({@code hub.endpoints.<n>.hooks.connect}), and {@code hooks.subscribe} /
 * {@code hooks.command} of each namespace ({@code hub.namespaces.<ns>.hooks.*}). A bad URL, timeout or
 * {@code on-failure} is a problem naming its key.
 *
 * @param connect    the connect hooks by endpoint path
 * @param namespaces the subscribe and command hooks by namespace
 */
record HookConfig(ConnectHooks connect, NamespaceHooks namespaces) {
    static final List<String> ON_FAILURE = List.of("deny", "allow");
    /** The built-in endpoints' prefixes, before {@code .hooks.connect}. */
    static final List<String> BUILT_IN = List.of("hub.websocket", "hub.sse", "hub.socket-io");
    private static final Set<String> SETTINGS = Set.of("url", "headers", "timeout", "on-failure");
    private static final Set<String> NAMESPACE_SETTINGS = Set.of("url", "timeout", "on-failure");

    /** The keys of the built-in endpoints' connect hooks: {@code <prefix>.hooks.connect.url}, {@code .headers}, {@code .timeout}, {@code .on-failure}. */
    static List<ConfigKey> connectKeys() {
        Map<String, String> endpoints = Map.of("hub.websocket", "the canonical WebSocket endpoint", "hub.sse", "the SSE endpoint",
                "hub.socket-io", "the Socket.IO endpoint (asked at the namespace connect)");
        return BUILT_IN.stream().flatMap(prefix -> Stream.of(
                new ConfigKey(prefix + ".hooks.connect.url", ConfigKey.Kind.TEXT, "", "Connect hook of " + endpoints.get(prefix)
                        + ": the application's URL the hub POSTs each connection to before admitting it ([hooks.md](hooks.md)). Empty: no hook."),
                new ConfigKey(prefix + ".hooks.connect.headers", ConfigKey.Kind.LIST, "",
                        "Request headers of the client forwarded to the connect hook (`Authorization,Cookie`)."),
                new ConfigKey(prefix + ".hooks.connect.timeout", ConfigKey.Kind.DURATION, "2s", "How long the connect hook may take to answer."),
                new ConfigKey(prefix + ".hooks.connect.on-failure", ConfigKey.Kind.CHOICE, "deny",
                        "When the connect hook fails (down, timeout, another status, bad JSON): `deny` (refuse the client) or `allow`.")))
                .toList();
    }

    /** Whether {@code parts} (a key under {@code hub.endpoints.<n>.}, split at dots, from {@code hooks} on) is a hook setting. */
    static boolean knownEndpointKey(String[] parts) {
        return parts.length >= 3 && parts[0].equals("hooks") && parts[1].equals("connect") && SETTINGS.contains(parts[2])
                && (parts.length == 3 || (parts.length == 4 && parts[2].equals("headers") && parts[3].chars().allMatch(Character::isDigit)));
    }

    /** Whether {@code parts} (a key under {@code hub.namespaces.<ns>.}, split at dots, from {@code hooks} on) is a hook setting. */
    static boolean knownNamespaceKey(String[] parts) {
        return parts.length == 3 && parts[0].equals("hooks") && (parts[1].equals("subscribe") || parts[1].equals("command"))
                && NAMESPACE_SETTINGS.contains(parts[2]);
    }

    /**
     * @param wsPath       the canonical WebSocket endpoint's path
     * @param ssePath      the SSE endpoint's path
     * @param socketIoPath the Socket.IO endpoint's path as configured, or empty when it is off
     */
    static HookConfig read(ConfigValues values, String wsPath, String ssePath, String socketIoPath) {
        Map<String, Hook> connect = new LinkedHashMap<>();
        Map<String, String> paths = Map.of("hub.websocket", wsPath, "hub.sse", ssePath, "hub.socket-io", socketIoBase(socketIoPath));
        for (String prefix : BUILT_IN) {
            String key = prefix + ".hooks.connect";
            Hook hook = hook(values, key, HookKind.CONNECT, values.text(key + ".url"), values.list(key + ".headers"),
                    values.text(key + ".timeout"), values.text(key + ".on-failure"));
            if (hook != null && !paths.get(prefix).isEmpty()) {
                connect.put(paths.get(prefix), hook);
            }
        }
        List<Map<String, Object>> endpoints = values.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            String key = ConfigSchema.ENDPOINTS + "." + i + ".hooks.connect";
            if (endpoints.get(i).get("hooks") instanceof Map<?, ?> hooks && hooks.get("connect") instanceof Map<?, ?> settings
                    && endpoints.get(i).get("path") instanceof String path) {
                Hook hook = hook(values, key, HookKind.CONNECT, text(values, key, settings, "url", ""), list(settings.get("headers")),
                        text(values, key, settings, "timeout", ""), text(values, key, settings, "on-failure", ""));
                if (hook != null) {
                    connect.put(path, hook);
                }
            }
        }
        return new HookConfig(new ConnectHooks(connect),
                new NamespaceHooks(namespaceHooks(values, HookKind.SUBSCRIBE), namespaceHooks(values, HookKind.COMMAND)));
    }

    private static Map<String, Hook> namespaceHooks(ConfigValues values, HookKind kind) {
        String setting = "hooks." + kind.key() + ".";
        Map<String, String> timeouts = values.perNamespace(setting + "timeout");
        Map<String, String> failures = values.perNamespace(setting + "on-failure");
        Map<String, Hook> hooks = new LinkedHashMap<>();
        values.perNamespace(setting + "url").forEach((namespace, url) -> {
            Hook hook = hook(values, ConfigSchema.NAMESPACES + "." + namespace + "." + setting.substring(0, setting.length() - 1), kind, url,
                    List.of(), timeouts.getOrDefault(namespace, ""), failures.getOrDefault(namespace, ""));
            if (hook != null) {
                hooks.put(namespace, hook);
            }
        });
        return hooks;
    }

    /**
     * One hook from its settings as text; {@code null} when it has no URL (it is off) or a setting is bad
     * (then a problem names the key).
     */
    static Hook hook(ConfigValues values, String key, HookKind kind, String url, List<String> headers, String timeout, String onFailure) {
        if (url.isBlank()) {
            return null;
        }
        int problems = values.problemCount();
        URI uri = null;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            // reported below
        }
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            values.problem(key + ".url: '" + url + "' is not an http:// or https:// URL with a host");
        }
        Duration wait = Hook.DEFAULT_TIMEOUT;
        if (!timeout.isBlank()) {
            wait = ConfigValues.parseDuration(timeout.trim());
            if (wait == null || wait.isNegative() || wait.isZero()) {
                values.problem(key + ".timeout: '" + timeout + "' is not a positive duration (e.g. 500ms, 2s)");
            }
        }
        String failure = onFailure.isBlank() ? "deny" : onFailure.trim().toLowerCase(java.util.Locale.ROOT);
        if (!ON_FAILURE.contains(failure)) {
            values.problem(key + ".on-failure: '" + onFailure + "' is not one of " + String.join(", ", ON_FAILURE));
        }
        for (String header : headers) {
            if (header.isBlank() || !header.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                values.problem(key + ".headers: '" + header + "' is not a header name");
            }
        }
        if (values.problemCount() > problems) {
            return null;
        }
        return new Hook(kind, uri, headers, wait, failure.equals("allow"));
    }

    /** The Socket.IO endpoint's path as its connections name it: without a trailing slash. */
    private static String socketIoBase(String path) {
        String trimmed = path.trim();
        return trimmed.length() > 1 && trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String text(ConfigValues values, String key, Map<?, ?> settings, String setting, String fallback) {
        Object value = settings.get(setting);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String text) {
            return text;
        }
        values.problem(key + "." + setting + ": must be a single value");
        return fallback;
    }

    private static List<String> list(Object value) {
        if (value instanceof String text) {
            return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (value instanceof List<?> items) {
            return items.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}

package io.switchboard.bootstrap;

import io.switchboard.application.port.AuthMode;
import io.switchboard.adapters.sse.SseEndpoint;
import io.switchboard.adapters.websocket.WebSocketEndpoint;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.dialect.DialectSpec;
import io.switchboard.application.port.Template;
import io.switchboard.application.port.EndpointLimits;
import io.switchboard.application.port.LimitSettings;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.EventType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configured endpoints ({@code hub.endpoints}, a list in the config file): SSE endpoints whose path
 * names their rooms, and WebSocket endpoints with auto-joined rooms, bound path parameters and a dialect;
 * either may have connection limits of its own. Every problem names its key ({@code hub.endpoints.0.dialect.envelope: ...}).
 *
 * @param limits the endpoints' own limits ({@code limits:}), by endpoint path
 */
record EndpointConfig(List<SseEndpoint> sse, List<WebSocketEndpoint> websocket, Map<String, EndpointLimits> limits) {
    static final List<String> TRANSPORTS = List.of("websocket", "sse");
    static final List<String> ON_MALFORMED = List.of("error", "close");
    /** What a WebSocket endpoint answers a client over a connection limit: 503 before the 101, or error + close 4029 after it. */
    static final List<String> LIMIT_FAILURES = List.of("reject", "close");
    /** How a WebSocket endpoint ends connections on shutdown and heartbeat timeout: with a close handshake, or dropping TCP. */
    static final List<String> CLOSE_STYLES = List.of("clean", "abrupt");
    static final List<String> ENVELOPES = List.of("data", "payload", "flat");
    /** Settings of every endpoint, then those only a WebSocket endpoint has. */
    static final List<String> SETTINGS = List.of("path", "transport", "auth", "rooms", "limits");
    static final List<String> WEBSOCKET_SETTINGS = List.of("auth-failure", "limit-failure", "bind", "origins", "stats-interval", "on-malformed",
            "dialect", "close-style", "require-origin");
    static final List<String> DIALECT_SETTINGS = List.of("envelope", "control-envelope", "types", "connected", "join", "leave", "sync",
            "errors", "acks", "connection-status");
    static final List<String> LIMIT_SETTINGS = List.of("per-ip", "per-ip-policy", "per-user", "per-user-policy", "max-connections",
            "max-connections-policy", "per-room");
    static final List<String> VERB_SETTINGS = List.of("verb", "field", "room");
    /** Values a {@code connected} template may use besides the path's parameters. */
    static final Set<String> CONNECTED_VALUES = Set.of("connectionId", "userId", "sub");

    /** Whether {@code leaf}, a key under {@code hub.endpoints.}, is one this version understands. */
    static boolean known(String leaf) {
        String[] parts = leaf.substring(ConfigSchema.ENDPOINTS.length() + 1).split("\\.");
        if (parts.length < 2 || !parts[0].chars().allMatch(Character::isDigit)) {
            return false;
        }
        String setting = parts[1];
        return switch (setting) {
            case "path", "transport", "auth", "auth-failure", "limit-failure", "stats-interval", "on-malformed", "close-style",
                 "require-origin" -> parts.length == 2;
            case "rooms", "origins" -> parts.length == 2 || (parts.length == 3 && parts[2].chars().allMatch(Character::isDigit));
            case "bind" -> parts.length == 3;
            case "limits" -> parts.length == 3 && LIMIT_SETTINGS.contains(parts[2]);
            case "dialect" -> parts.length >= 3 && knownDialect(Arrays.copyOfRange(parts, 2, parts.length));
            case "hooks" -> HookConfig.knownEndpointKey(Arrays.copyOfRange(parts, 1, parts.length));
            default -> false;
        };
    }

    private static boolean knownDialect(String[] parts) {
        return switch (parts[0]) {
            case "envelope", "control-envelope", "acks", "connection-status" -> parts.length == 1;
            case "types", "connected", "errors" -> parts.length == 2;
            case "join", "leave", "sync" -> parts.length == 2 && VERB_SETTINGS.contains(parts[1]);
            default -> false;
        };
    }

    /**
     * @param takenPaths paths other endpoints already serve (the canonical WebSocket endpoint, the audit stream)
     * @param origins    the WebSocket endpoints' default allow-list ({@code hub.websocket.origins})
     * @param hubLimits  {@code hub.limits}, whose policies an endpoint's limit without its own policy takes
     */
    static EndpointConfig read(ConfigValues values, Settings.AuthSettings auth, Set<String> takenPaths, List<String> origins,
                               LimitSettings hubLimits) {
        Map<String, EndpointLimits> limits = new LinkedHashMap<>();
        List<SseEndpoint> sse = new ArrayList<>();
        List<WebSocketEndpoint> websocket = new ArrayList<>();
        Set<String> paths = new HashSet<>(takenPaths);
        List<Map<String, Object>> entries = values.endpoints();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = new Entry(values, ConfigSchema.ENDPOINTS + "." + i, entries.get(i));
            String transport = entry.text("transport", "");
            if (!TRANSPORTS.contains(transport)) {
                values.problem(entry.key("transport") + ": '" + transport + "' is not one of " + String.join(", ", TRANSPORTS));
                continue;
            }
            AuthMode mode = entry.mode(auth);
            if (entry.has("limits")) {
                limits.put(entry.text("path", ""), limits(entry.child("limits"), hubLimits));
            }
            if (transport.equals("sse")) {
                for (String setting : WEBSOCKET_SETTINGS) {
                    if (entry.has(setting)) {
                        values.problem(entry.key(setting) + ": only WebSocket endpoints have this setting");
                    }
                }
                try {
                    sse.add(new SseEndpoint(entry.text("path", ""), entry.list("rooms"), mode));
                } catch (IllegalArgumentException e) {
                    values.problem(entry.key + ": " + e.getMessage());
                }
                continue;
            }
            String path = entry.text("path", "");
            if (!path.startsWith("/")) {
                values.problem(entry.key("path") + ": '" + path + "' must start with /");
                continue;
            }
            if (!paths.add(path)) {
                values.problem(entry.key("path") + ": " + path + " is already served by another WebSocket endpoint");
                continue;
            }
            WebSocketEndpoint endpoint = websocketEndpoint(entry, path, mode, auth, origins);
            if (endpoint != null) {
                websocket.add(endpoint);
            }
        }
        return new EndpointConfig(sse, websocket, limits);
    }

    /** An endpoint's {@code limits} (other keys are unknown config keys): a limit it leaves out is not limited by the endpoint; a policy it leaves out is the hub's. */
    private static EndpointLimits limits(Entry entry, LimitSettings hub) {
        return new EndpointLimits(entry.count("max-connections", 0), entry.count("per-ip", 0), entry.count("per-user", 0),
                entry.policy("max-connections-policy", hub.totalPolicy()), entry.policy("per-ip-policy", hub.perIpPolicy()),
                entry.policy("per-user-policy", hub.perUserPolicy()), entry.count("per-room", -1));
    }

    private static WebSocketEndpoint websocketEndpoint(Entry entry, String path, AuthMode mode,
                                                       Settings.AuthSettings auth, List<String> defaultOrigins) {
        Set<String> parameters = Template.of(path).names();
        int problems = entry.values.problemCount();
        boolean reject = entry.choice("auth-failure", ConfigSchema.AUTH_FAILURES, "close").equals("reject");
        boolean closeOnMalformed = entry.choice("on-malformed", ON_MALFORMED, "error").equals("close");
        boolean closeOnLimit = entry.choice("limit-failure", LIMIT_FAILURES, "reject").equals("close");
        WebSocketEndpoint.CloseStyle closeStyle = WebSocketEndpoint.CloseStyle.valueOf(
                entry.choice("close-style", CLOSE_STYLES, "clean").toUpperCase(Locale.ROOT));
        boolean originRequired = entry.choice("require-origin", List.of("false", "true"), "false").equals("true");
        List<Template> rooms = new ArrayList<>();
        for (String room : entry.list("rooms")) {
            Template template = Template.of(room);
            entry.onlyNames(entry.key("rooms"), template, parameters, WebSocketEndpoint.ROOM_VALUES);
            rooms.add(template);
        }
        Map<String, String> bind = entry.strings("bind");
        bind.forEach((parameter, claim) -> {
            if (!parameters.contains(parameter)) {
                entry.values.problem(entry.key("bind." + parameter) + ": {" + parameter + "} is not a parameter of the path " + path);
            }
            if (!WebSocketEndpoint.CLAIMS.contains(claim)) {
                entry.values.problem(entry.key("bind." + parameter) + ": '" + claim + "' is not a claim a bind may name ("
                        + String.join(", ", WebSocketEndpoint.CLAIMS) + ")");
            }
        });
        if (!bind.isEmpty() && (!auth.enabled() || mode == AuthMode.NONE)) {
            entry.values.problem(entry.key("bind") + ": needs tokens, so a JWK set (hub.auth.jwks) and auth optional or required");
        }
        Duration statsInterval = null;
        if (entry.has("stats-interval")) {
            String text = entry.text("stats-interval", "");
            statsInterval = ConfigValues.parseDuration(text.trim());
            if (statsInterval == null || statsInterval.isNegative() || statsInterval.isZero()) {
                entry.values.problem(entry.key("stats-interval") + ": '" + text + "' is not a positive duration (e.g. 500ms, 5s)");
            }
        }
        List<String> origins = entry.has("origins") ? entry.list("origins") : defaultOrigins;
        DialectSpec dialect = dialect(entry, parameters);
        if (entry.values.problemCount() > problems) {
            return null;
        }
        try {
            return new WebSocketEndpoint(path, mode, reject, origins, rooms, bind, statsInterval, closeOnMalformed, closeOnLimit, dialect,
                    closeStyle, originRequired);
        } catch (IllegalArgumentException e) {
            entry.values.problem(entry.key + ": " + e.getMessage());
            return null;
        }
    }

    private static DialectSpec dialect(Entry endpoint, Set<String> parameters) {
        if (!endpoint.has("dialect")) {
            return DialectSpec.CANONICAL;
        }
        Entry entry = endpoint.child("dialect");
        DialectSpec.Envelope envelope = envelope(entry.choice("envelope", ENVELOPES, "data"));
        DialectSpec.Envelope control = entry.has("control-envelope") ? envelope(entry.choice("control-envelope", ENVELOPES, "data"))
                : envelope;
        Map<String, String> types = entry.strings("types");
        types.keySet().stream().filter(type -> !DialectSpec.CONTROL_TYPES.contains(type)).forEach(type ->
                entry.values.problem(entry.key("types." + type) + ": not one of the hub's message types "
                        + String.join(", ", DialectSpec.CONTROL_TYPES)));
        Map<String, Template> connected = new LinkedHashMap<>();
        entry.strings("connected").forEach((field, text) -> {
            Template template = Template.of(text);
            entry.onlyNames(entry.key("connected." + field), template, parameters, CONNECTED_VALUES);
            connected.put(field, template);
        });
        Map<ErrorCode, String> errors = new LinkedHashMap<>();
        entry.strings("errors").forEach((code, wire) -> {
            try {
                errors.put(ErrorCode.valueOf(code), wire);
            } catch (IllegalArgumentException e) {
                entry.values.problem(entry.key("errors." + code) + ": not an error code ("
                        + String.join(", ", Arrays.stream(ErrorCode.values()).map(Enum::name).toList()) + ")");
            }
        });
        DialectSpec.Verb join = verb(entry, "join", parameters);
        DialectSpec.Verb leave = verb(entry, "leave", parameters);
        DialectSpec.Verb sync = verb(entry, "sync", parameters);
        Set<String> verbs = new HashSet<>();
        for (DialectSpec.Verb verb : new DialectSpec.Verb[] {join, leave, sync}) {
            if (verb != null && !verbs.add(verb.verb())) {
                entry.values.problem(entry.key + ": verb '" + verb.verb() + "' is used twice");
            }
        }
        boolean acks = entry.choice("acks", List.of("true", "false"), "true").equals("true");
        String status = entry.has("connection-status") ? entry.text("connection-status", "").trim() : null;
        if (status != null && EventType.problemWith(status) != null) {
            entry.values.problem(entry.key("connection-status") + ": '" + status + "' is not a message type: " + EventType.problemWith(status));
        }
        try {
            return new DialectSpec(envelope, control, types, connected, join, leave, sync, errors, acks, status);
        } catch (IllegalArgumentException e) {
            entry.values.problem(entry.key + ": " + e.getMessage());
            return DialectSpec.CANONICAL;
        }
    }

    private static DialectSpec.Verb verb(Entry dialect, String name, Set<String> parameters) {
        if (!dialect.has(name)) {
            return null;
        }
        Entry entry = dialect.child(name);
        String verb = entry.text("verb", "").trim();
        if (verb.isEmpty()) {
            entry.values.problem(entry.key("verb") + ": " + name + " needs the client's message type (verb)");
            return null;
        }
        String field = entry.has("field") ? entry.text("field", "").trim() : null;
        Template room = null;
        if (entry.has("room")) {
            room = Template.of(entry.text("room", ""));
            Set<String> values = new HashSet<>(WebSocketEndpoint.ROOM_VALUES);
            if (field != null) {
                values.add("value");
            }
            entry.onlyNames(entry.key("room"), room, parameters, values);
        }
        return new DialectSpec.Verb(verb, field == null || field.isEmpty() ? null : field, room);
    }

    private static DialectSpec.Envelope envelope(String text) {
        return DialectSpec.Envelope.valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** One map of settings in the tree {@link ConfigValues#endpoints()} gives, with the key it lives under. */
    private record Entry(ConfigValues values, String key, Map<String, Object> settings) {
        String key(String setting) {
            return key + "." + setting;
        }

        boolean has(String setting) {
            return settings.containsKey(setting);
        }

        String text(String setting, String fallback) {
            Object value = settings.get(setting);
            if (value == null) {
                return fallback;
            }
            if (value instanceof String text) {
                return text;
            }
            values.problem(key(setting) + ": must be a single value");
            return fallback;
        }

        String choice(String setting, List<String> allowed, String fallback) {
            String value = text(setting, fallback).trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                values.problem(key(setting) + ": '" + value + "' is not one of " + String.join(", ", allowed));
                return fallback;
            }
            return value;
        }

        /** A whole number ≥ 0, or {@code fallback} when the setting is missing. */
        int count(String setting, int fallback) {
            if (!has(setting)) {
                return fallback;
            }
            String value = text(setting, "").trim();
            try {
                long parsed = Long.parseLong(value);
                if (parsed >= 0 && parsed <= 10_000_000) {
                    return (int) parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            values.problem(key(setting) + ": '" + value + "' is not a whole number from 0 to 10000000");
            return fallback;
        }

        LimitSettings.LimitPolicy policy(String setting, LimitSettings.LimitPolicy fallback) {
            if (!has(setting)) {
                return fallback;
            }
            String policy = choice(setting, ConfigSchema.LIMIT_POLICIES, "reject");
            return LimitSettings.LimitPolicy.valueOf(policy.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        AuthMode mode(Settings.AuthSettings auth) {
            AuthMode mode = AuthMode.valueOf(
                    choice("auth", ConfigSchema.AUTH_MODES, "optional").toUpperCase(Locale.ROOT));
            if (mode == AuthMode.REQUIRED && !auth.enabled()) {
                values.problem(key("auth") + ": 'required' needs a JWK set to verify tokens (hub.auth.jwks)");
            }
            return mode;
        }

        /** A list of texts; a single text is split at commas. */
        List<String> list(String setting) {
            Object value = settings.get(setting);
            if (value == null) {
                return List.of();
            }
            if (value instanceof String text) {
                return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
            List<String> texts = new ArrayList<>();
            if (value instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof String text) {
                        texts.add(text);
                    } else {
                        values.problem(key(setting) + ": must be a list of texts");
                    }
                }
            } else {
                values.problem(key(setting) + ": must be a list");
            }
            return texts;
        }

        /** A map of texts by name, in the file's order. */
        Map<String, String> strings(String setting) {
            Map<String, String> texts = new LinkedHashMap<>();
            child(setting).settings.forEach((name, value) -> {
                if (value instanceof String text) {
                    texts.put(name, text);
                } else {
                    values.problem(key(setting + "." + name) + ": must be a single value");
                }
            });
            return texts;
        }

        /** The map under {@code setting}; empty (with a problem) when it is not a map. */
        Entry child(String setting) {
            Object value = settings.get(setting);
            Map<String, Object> map = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> children) {
                children.forEach((name, child) -> map.put(String.valueOf(name), child));
            } else if (value != null && !(value instanceof String text && text.isBlank())) {
                values.problem(key(setting) + ": must be a map of settings");
            }
            return new Entry(values, key(setting), map);
        }

        /** Reports every placeholder of {@code template} that is neither a path parameter nor one of {@code extra}. */
        void onlyNames(String where, Template template, Set<String> parameters, Set<String> extra) {
            for (String name : template.names()) {
                if (!parameters.contains(name) && !extra.contains(name)) {
                    values.problem(where + ": template '" + template + "' uses {" + name + "}, which is not a parameter of the path"
                            + (extra.isEmpty() ? "" : " nor one of " + String.join(", ", new java.util.TreeSet<>(extra))));
                }
            }
        }
    }
}

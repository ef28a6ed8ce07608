package io.switchboard.bootstrap;

import io.switchboard.application.port.AuthMode;
import io.switchboard.adapters.http.BodyLimits;
import io.switchboard.adapters.security.SecurityAdapter;
import io.switchboard.adapters.security.TokenRules;
import io.switchboard.adapters.sse.SseEndpoint;
import io.switchboard.adapters.sse.SseSettings;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.auth.RoomPolicy;
import io.switchboard.application.port.LimitSettings;
import io.switchboard.adapters.websocket.WebSocketEndpoint;
import io.switchboard.adapters.websocket.SocketIoSettings;
import io.switchboard.adapters.websocket.WebSocketSettings;
import io.switchboard.application.hub.DeliveryRules;
import io.switchboard.application.hub.HubSettings;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.application.publish.PublishSettings;
import io.switchboard.domain.OverflowPolicy;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything the hub needs to start, read and checked from the configuration layers. */
record Settings(String host, int port, HubSettings hub, PublishSettings publish, HistoryRetention history,
                List<String> apiKeys, AuthSettings auth, RoomAccess roomAccess, NamespaceRooms namespaceRooms, LimitSettings limits,
                WebhookSettings webhooks, WebSocketSettings websocket, SseSettings sse, List<SseEndpoint> sseEndpoints,
                List<WebSocketEndpoint> wsEndpoints, Duration statsInterval, Path dataDir, Database database, boolean ephemeral,
                BridgeConfig bridge, DeliveryRules delivery,
                SocketIoSettings socketIo, BodyLimits bodies, SocketLimits sockets, Optional<SSLContext> tls, HookConfig hooks,
                PresenceConfig presence) {

    /**
     * @param maxSockets       open sockets at most, from their accept (0: no cap)
     * @param handshakeTimeout how long a socket may take to send a complete request head (zero: no limit)
     */
    record SocketLimits(int maxSockets, Duration handshakeTimeout) {
        /** Descriptors kept for the database, logs, jars and files when the cap follows the file limit. */
        static final int RESERVED_DESCRIPTORS = 256;

        /** {@code configured}, or for -1 the process's file limit minus {@link #RESERVED_DESCRIPTORS} (no cap where it is unknown). */
        static int cap(int configured) {
            if (configured >= 0) {
                return configured;
            }
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return (int) Math.max(1, Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() - RESERVED_DESCRIPTORS));
            }
            return 0;
        }
    }

    /**
     * The shared database of several nodes: {@code hub.db.*}; an empty URL means H2 under {@code hub.data-dir}.
     * {@code maxGroupEvents}: most events one commit takes from concurrent publishes (H2 and PostgreSQL).
     */
    record Database(String url, String user, String password, int maxGroupEvents) {
        boolean shared() {
            return !url.isEmpty();
        }

        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                    + ", maxGroupEvents=" + maxGroupEvents + "]";
        }
    }

    static Settings load(CommandLine cli, Map<String, String> environment) {
        ConfigValues values = new ConfigValues(cli.overrides(), environment);
        if (cli.config() != null) {
            values.withFile("--config", cli.config());
        }
        if (cli.profile() != null) {
            BundledProfiles.addTo(values, cli.profile());
        }
        return from(values, cli.ephemeral());
    }

    /** Namespaces whose rooms must be declared, and what clients are told about undeclared ones. */
    record NamespaceRooms(Set<String> mustExist, Map<String, String> notFoundMessages) {
    }

    /** Webhook capture: the namespace of webhook rooms and the body cap. */
    record WebhookSettings(String namespace, long maxBodyBytes) {
    }

    /** Where tokens are verified against; {@code jwks} empty means no JWT authentication. */
    record AuthSettings(String jwks, String issuer, String audience, String cookie) {
        /** Tolerated clock difference for {@code exp} and {@code nbf} (SPEC 8). */
        static final Duration SKEW = Duration.ofSeconds(5);

        boolean enabled() {
            return !jwks.isEmpty();
        }

        TokenRules rules() {
            return new TokenRules(issuer, audience, SKEW);
        }
    }

    /** A limit's policy; an empty value means {@code fallback} (e.g. {@code hub.limits.policy}). */
    private static LimitSettings.LimitPolicy limitPolicy(ConfigValues values, String key, String fallback) {
        String policy = values.text(key).isBlank() ? fallback : values.choice(key, ConfigSchema.LIMIT_POLICIES);
        return LimitSettings.LimitPolicy.valueOf(policy.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    static AuthMode mode(ConfigValues values, String key, AuthSettings auth) {
        AuthMode mode = AuthMode.valueOf(
                values.choice(key, ConfigSchema.AUTH_MODES).toUpperCase(java.util.Locale.ROOT));
        if (mode == AuthMode.REQUIRED && !auth.enabled()) {
            values.problem(key + ": 'required' needs a JWK set to verify tokens (hub.auth.jwks)");
        }
        return mode;
    }

    private static RoomAccess roomAccess(ConfigValues values, AuthSettings auth) {
        Map<String, RoomPolicy> policies = new java.util.TreeMap<>();
        values.perNamespace("access").forEach((namespace, text) -> {
            String key = ConfigSchema.NAMESPACES + "." + namespace + ".access";
            try {
                RoomPolicy policy = RoomPolicy.parse(text);
                if (policy.kind() != RoomPolicy.Kind.PUBLIC && !auth.enabled()) {
                    values.problem(key + ": '" + text + "' needs authenticated clients, so a JWK set (hub.auth.jwks)");
                }
                policies.put(namespace, policy);
            } catch (IllegalArgumentException e) {
                values.problem(key + ": " + e.getMessage());
            }
        });
        return new RoomAccess(policies, java.util.Optional.empty());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static Settings from(ConfigValues values, boolean ephemeral) {
        String host = values.text("server.host");
        int port = values.integer("server.port", 0, 65535);
        HubSettings hub = new HubSettings(
                values.integer("hub.connection.outbound-max-messages", 1, 1_000_000),
                values.integer("hub.connection.outbound-max-bytes", 1024, Integer.MAX_VALUE),
                values.choice("hub.connection.overflow-policy", ConfigSchema.OVERFLOW_POLICIES).equals("drop-oldest")
                        ? OverflowPolicy.DROP_OLDEST : OverflowPolicy.DISCONNECT,
                values.duration("hub.heartbeat.interval"),
                values.duration("hub.heartbeat.timeout"),
                values.integer("hub.inbound.max-bytes", 64, 16 * 1024 * 1024),
                values.decimal("hub.inbound.rate-per-second", 0.001),
                values.integer("hub.inbound.burst", 1, 1_000_000),
                values.integer("hub.inbound.violations-to-close", 1, 1_000_000),
                values.integer("hub.connection.max-rooms", 1, 100_000),
                values.duration("hub.connection.close-grace"),
                values.duration("hub.shutdown-grace"),
                values.integer("hub.limits.per-room", 0, 10_000_000));
        PublishSettings publish = new PublishSettings(
                values.integer("hub.publish.max-payload-bytes", 1, 16 * 1024 * 1024),
                values.integer("hub.publish.max-batch", 1, 100_000),
                100);
        HistoryRetention history = new HistoryRetention(
                values.integer("hub.history.max-events", 1, 10_000_000),
                values.duration("hub.history.max-age"));
        List<String> apiKeys = values.list("hub.publish.api-keys");
        for (String key : apiKeys) {
            if (key.length() < 16) {
                values.problem("hub.publish.api-keys: every key needs at least 16 characters");
                break;
            }
        }
        String wsPath = values.text("hub.websocket.path");
        if (!wsPath.startsWith("/")) {
            values.problem("hub.websocket.path: '" + wsPath + "' must start with /");
        }
        AuthSettings auth = new AuthSettings(values.text("hub.auth.jwks").trim(), blankToNull(values.text("hub.auth.issuer")),
                blankToNull(values.text("hub.auth.audience")), values.text("hub.auth.cookie"));
        if (auth.enabled()) {
            try {
                SecurityAdapter.verifier(auth.jwks(), auth.rules(), java.time.Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                values.problem("hub.auth.jwks: " + e.getMessage());
            }
        }
        RoomAccess roomAccess = roomAccess(values, auth);
        Set<String> mustExist = new java.util.TreeSet<>();
        values.perNamespace("must-exist").forEach((namespace, flag) -> {
            if (flag.trim().equalsIgnoreCase("true")) {
                mustExist.add(namespace);
            } else if (!flag.trim().equalsIgnoreCase("false")) {
                values.problem(ConfigSchema.NAMESPACES + "." + namespace + ".must-exist: '" + flag + "' is not true or false");
            }
        });
        NamespaceRooms namespaceRooms = new NamespaceRooms(mustExist, values.perNamespace("not-found-message"));
        WebhookSettings webhooks = new WebhookSettings(values.text("hub.webhooks.namespace"),
                values.integer("hub.webhooks.max-body-bytes", 1, 32 * 1024 * 1024));
        LimitSettings limits = new LimitSettings(
                values.integer("hub.limits.max-connections", 0, 10_000_000),
                values.integer("hub.limits.per-ip", 0, 10_000_000),
                values.integer("hub.limits.per-user", 0, 10_000_000),
                limitPolicy(values, "hub.limits.max-connections-policy", "reject"),
                limitPolicy(values, "hub.limits.per-ip-policy", values.choice("hub.limits.policy", ConfigSchema.LIMIT_POLICIES)),
                limitPolicy(values, "hub.limits.per-user-policy", values.choice("hub.limits.policy", ConfigSchema.LIMIT_POLICIES)),
                values.integer("hub.limits.attempts-per-ip-per-minute", 0, 10_000_000));
        AuthMode wsAuth = mode(values, "hub.websocket.auth", auth);
        boolean wsReject = values.choice("hub.websocket.auth-failure", ConfigSchema.AUTH_FAILURES).equals("reject");
        AuthMode sseAuth = mode(values, "hub.sse.auth", auth);
        String ssePath = values.text("hub.sse.path");
        if (!ssePath.startsWith("/")) {
            values.problem("hub.sse.path: '" + ssePath + "' must start with /");
        }
        Duration sseHeartbeat = values.duration("hub.sse.heartbeat");
        Duration sseRetry = values.duration("hub.sse.retry");
        List<String> wsOrigins = values.list("hub.websocket.origins");
        String auditPath = values.text("hub.websocket.audit-path");
        EndpointConfig endpoints = EndpointConfig.read(values, auth, Set.of(wsPath, auditPath), wsOrigins, limits);
        Duration statsInterval = values.duration("hub.stats-interval");
        Path dataDir = Path.of(values.text("hub.data-dir"));
        Database database = new Database(values.text("hub.db.url"), values.text("hub.db.user"), values.text("hub.db.password"),
                values.integer("hub.db.max-group-events", 1, 100_000));
        if (database.shared() && !database.url().startsWith("jdbc:postgresql://")) {
            values.problem("hub.db.url: '" + database.url() + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        BridgeConfig bridge = BridgeConfig.read(values);
        DeliveryRules delivery = DeliveryConfig.read(values);
        SocketIoSettings socketIo = SocketIoConfig.from(values, auth);
        BodyLimits bodies = new BodyLimits(publish.maxPayloadBytes(), values.integer("hub.publish.max-batch-bytes", 1024, 256 * 1024 * 1024),
                hub.inboundMaxBytes(), webhooks.maxBodyBytes());
        SocketLimits sockets = new SocketLimits(SocketLimits.cap(values.integer("hub.limits.max-sockets", -1, 10_000_000)),
                values.durationOrOff("hub.limits.handshake-timeout"));
        PresenceConfig presence = PresenceConfig.read(values);
        Optional<SSLContext> tls = ServerTls.read(values);
        HookConfig hooks = HookConfig.read(values, wsPath, ssePath, values.text("hub.socket-io.path"));
        values.finish();
        return new Settings(host, port, hub, publish, history, apiKeys, auth, roomAccess, namespaceRooms, limits.withEndpoints(endpoints.limits()),
                webhooks, new WebSocketSettings(wsPath, wsAuth, wsReject, wsOrigins, auditPath),
                new SseSettings(ssePath, sseHeartbeat, sseRetry, sseAuth, values.list("hub.sse.origins")), endpoints.sse(),
                endpoints.websocket(),
                statsInterval, dataDir, database, ephemeral, bridge, delivery, socketIo, bodies, sockets, tls, hooks, presence);
    }
}

package io.switchboard.bootstrap;

import io.switchboard.bootstrap.ConfigKey.Kind;

import java.util.List;
import java.util.Optional;

/** Every configuration key the hub understands; anything else in a config file is an error. */
final class ConfigSchema {
    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("server.host", Kind.TEXT, "0.0.0.0", "Address to listen on."),
            new ConfigKey("server.port", Kind.INTEGER, "8080", "Port to listen on (0 picks a free one)."),
            new ConfigKey("hub.websocket.path", Kind.TEXT, "/ws", "Path of the canonical WebSocket endpoint."),
            new ConfigKey("hub.sse.path", Kind.TEXT, "/sse", "Path of the SSE endpoint (`?rooms=a,b`)."),
            new ConfigKey("hub.sse.heartbeat", Kind.DURATION, "15s", "A comment line is sent to an SSE stream quiet for this long."),
            new ConfigKey("hub.sse.retry", Kind.DURATION, "3s", "Reconnect delay suggested to SSE clients (`retry:`) when a stream opens."),
            new ConfigKey("hub.publish.api-keys", Kind.LIST, "",
                    "Publisher API keys (at least 16 characters each), sent as `Authorization: Bearer <key>`. "
                            + "Empty: only loopback clients may publish."),
            new ConfigKey("hub.publish.max-payload-bytes", Kind.INTEGER, "65536", "Largest `data` of one event, in bytes."),
            new ConfigKey("hub.publish.max-batch", Kind.INTEGER, "1000", "Most events in one atomic batch."),
            new ConfigKey("hub.history.max-events", Kind.INTEGER, "1000", "Events kept per room for resume."),
            new ConfigKey("hub.history.max-age", Kind.DURATION, "24h", "Age after which events leave a room's history."),
            new ConfigKey("hub.connection.outbound-max-messages", Kind.INTEGER, "1024",
                    "Events queued for one client before the overflow policy applies."),
            new ConfigKey("hub.connection.outbound-max-bytes", Kind.INTEGER, "1048576",
                    "Bytes queued for one client before the overflow policy applies."),
            new ConfigKey("hub.connection.overflow-policy", Kind.CHOICE, "disconnect",
                    "`disconnect` (close 4010; the client resumes and loses nothing) or `drop-oldest` "
                            + "(drop queued events; the client gets `error SLOW_CONSUMER {dropped}`)."),
            new ConfigKey("hub.connection.max-rooms", Kind.INTEGER, "100", "Rooms one connection may join."),
            new ConfigKey("hub.heartbeat.interval", Kind.DURATION, "30s", "Time between WebSocket ping frames."),
            new ConfigKey("hub.heartbeat.timeout", Kind.DURATION, "10s", "No pong within this after a ping closes with 4011."),
            new ConfigKey("hub.inbound.max-bytes", Kind.INTEGER, "4096",
                    "Largest client message, all fragments together; larger closes with 1009."),
            new ConfigKey("hub.inbound.rate-per-second", Kind.DECIMAL, "10", "Client messages per second (token bucket refill)."),
            new ConfigKey("hub.inbound.burst", Kind.INTEGER, "10", "Client messages allowed in a burst (token bucket size)."),
            new ConfigKey("hub.inbound.violations-to-close", Kind.INTEGER, "20",
                    "Rate-limited messages within 10 s that close the connection with 4008."),
            new ConfigKey("hub.stats-interval", Kind.DURATION, "5s", "How often `stats_update` is pushed to room `$stats`."),
            new ConfigKey("hub.shutdown-grace", Kind.DURATION, "10s",
                    "On SIGTERM, time for clients to get `disconnect` and close before the process exits."),
            new ConfigKey("hub.data-dir", Kind.TEXT, "./data",
                    "Directory for durable data: the H2 event log `switchboard.mv.db` (created if missing; one hub per "
                            + "directory). Not used with `--ephemeral`, which keeps events in memory."));

    static final List<String> OVERFLOW_POLICIES = List.of("disconnect", "drop-oldest");

    private ConfigSchema() {
    }

    static Optional<ConfigKey> find(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** Whether a leaf found in a config file belongs to a known key (list elements appear as {@code key.0}). */
    static boolean known(String leaf) {
        for (ConfigKey key : KEYS) {
            if (key.name().equals(leaf) || (key.kind() == Kind.LIST && leaf.startsWith(key.name() + "."))) {
                return true;
            }
        }
        return false;
    }
}

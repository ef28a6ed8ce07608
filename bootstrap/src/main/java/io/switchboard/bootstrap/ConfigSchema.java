package io.switchboard.bootstrap;

import io.switchboard.bootstrap.ConfigKey.Kind;

import java.util.List;
import java.util.Optional;

/** Every configuration key the hub understands; anything else in a config file is an error. */
final class ConfigSchema {
    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("server.host", Kind.TEXT, "0.0.0.0", "Address to listen on."),
            new ConfigKey("server.port", Kind.INTEGER, "8080", "Port to listen on (0 picks a free one)."),
            new ConfigKey(ServerTls.CHAIN, Kind.TEXT, "",
                    "PEM file with the server's certificate (first) and any intermediates: with `server.tls.private-key`, the port "
                            + "serves `https://` and `wss://` only (docs/tls.md). Empty: plain `http://` and `ws://`."),
            new ConfigKey(ServerTls.KEY, Kind.TEXT, "",
                    "PEM file with the certificate's private key, unencrypted PKCS#8 (`-----BEGIN PRIVATE KEY-----`). "
                            + "A missing, unreadable or mismatched file stops the start (exit code 2)."),
            new ConfigKey("hub.websocket.path", Kind.TEXT, "/ws", "Path of the canonical WebSocket endpoint."),
            new ConfigKey("hub.websocket.audit-path", Kind.TEXT, "/ws/audit", "Path where administrators watch the audit stream."),
            new ConfigKey("hub.websocket.auth", Kind.CHOICE, "optional",
                    "`none` (tokens ignored), `optional` (a token, if sent, must be valid) or `required`. "
                            + "Without `hub.auth.jwks` every endpoint works as `none`."),
            new ConfigKey("hub.websocket.auth-failure", Kind.CHOICE, "close",
                    "On a bad or missing token: `close` (accept, send `error`, close 4001 — readable by browsers) "
                            + "or `reject` (HTTP 401 before the upgrade)."),
            new ConfigKey("hub.websocket.origins", Kind.LIST, "",
                    "Allowed `Origin` values, exactly (`https://app.example.com`); others get 403 before the upgrade. "
                            + "Empty allows any; requests without an Origin are allowed."),
            new ConfigKey("hub.socket-io.path", Kind.TEXT, "",
                    "Path of the Socket.IO endpoint (`/socket.io/`): Engine.IO 4 over WebSocket for socket.io-client "
                            + "with `transports: [\"websocket\"]`. Empty: off."),
            new ConfigKey("hub.socket-io.room", Kind.TEXT, "{value}",
                    "Room a Socket.IO `join`/`leave` argument names: `webhook:{value}` turns `abc-123` into `webhook:abc-123`."),
            new ConfigKey("hub.socket-io.auth", Kind.CHOICE, "optional",
                    "Auth mode of the Socket.IO endpoint; the token comes from the connect `auth` payload (`{token}`), "
                            + "the `token` query parameter, the header or the cookie. A failure is a connect error."),
            new ConfigKey("hub.sse.origins", Kind.LIST, "", "Allowed `Origin` values of the SSE endpoint, as for WebSocket."),
            new ConfigKey("hub.limits.max-connections", Kind.INTEGER, "0", "Connections to this hub (per node, also on PostgreSQL); beyond: see `hub.limits.max-connections-policy`. 0: no limit."),
            new ConfigKey("hub.limits.per-ip", Kind.INTEGER, "0", "Connections from one IP address; cluster-wide on PostgreSQL. 0: no limit."),
            new ConfigKey("hub.limits.per-user", Kind.INTEGER, "0", "Connections of one authenticated user; cluster-wide on PostgreSQL. 0: no limit."),
            new ConfigKey("hub.limits.per-room", Kind.INTEGER, "0",
                    "Connections in one room; a join beyond gets `error CONNECTION_LIMIT`. 0: no limit."),
            new ConfigKey("hub.limits.policy", Kind.CHOICE, "reject",
                    "Over the per-IP or per-user limit: `reject` (503), `evict-oldest` or `evict-oldest-idle` "
                            + "(that connection gets `disconnect`, then close 4009)."),
            new ConfigKey("hub.limits.per-ip-policy", Kind.CHOICE, "",
                    "Policy of the per-IP limit (`reject`, `evict-oldest`, `evict-oldest-idle`); empty: `hub.limits.policy`."),
            new ConfigKey("hub.limits.per-user-policy", Kind.CHOICE, "",
                    "Policy of the per-user limit (`reject`, `evict-oldest`, `evict-oldest-idle`); empty: `hub.limits.policy`."),
            new ConfigKey("hub.limits.max-connections-policy", Kind.CHOICE, "reject",
                    "Over `hub.limits.max-connections`: `reject` (503), or make room by evicting this node's oldest "
                            + "(`evict-oldest`) or longest idle (`evict-oldest-idle`) connection (disconnect, close 4009)."),
            new ConfigKey("hub.limits.attempts-per-ip-per-minute", Kind.INTEGER, "0",
                    "Connection attempts from one IP address per minute; beyond: 429. 0: no limit."),
            new ConfigKey("hub.limits.max-sockets", Kind.INTEGER, "-1",
                    "Open sockets, counted from their accept (also before their request or upgrade is complete); beyond: a new socket is "
                            + "closed at once. -1: the process's file limit minus 256 (kept for the database, logs and files); 0: no limit."),
            new ConfigKey("hub.limits.handshake-timeout", Kind.DURATION, "10s",
                    "A socket that has not sent a complete request head (or WebSocket upgrade) this long after its accept is closed. 0: never."),
            new ConfigKey("hub.sse.auth", Kind.CHOICE, "optional", "Auth mode of the SSE endpoint; failures are HTTP 401."),
            new ConfigKey("hub.auth.jwks", Kind.TEXT, "",
                    "JWK set for verifying tokens: inline JSON, `classpath:NAME` or a file path. Empty: no JWT authentication."),
            new ConfigKey("hub.auth.issuer", Kind.TEXT, "", "Required `iss` of tokens; empty accepts any."),
            new ConfigKey("hub.auth.audience", Kind.TEXT, "", "Required member of a token's `aud`; empty accepts any."),
            new ConfigKey("hub.auth.cookie", Kind.TEXT, "switchboard_token", "Cookie a browser may carry its token in."),
            new ConfigKey("hub.sse.path", Kind.TEXT, "/sse", "Path of the SSE endpoint (`?rooms=a,b`)."),
            new ConfigKey("hub.sse.heartbeat", Kind.DURATION, "15s", "A comment line is sent to an SSE stream quiet for this long."),
            new ConfigKey("hub.sse.retry", Kind.DURATION, "3s", "Reconnect delay suggested to SSE clients (`retry:`) when a stream opens."),
            new ConfigKey("hub.publish.api-keys", Kind.LIST, "",
                    "Publisher API keys (at least 16 characters each), sent as `Authorization: Bearer <key>`. "
                            + "Empty: only loopback clients may publish."),
            new ConfigKey("hub.publish.max-payload-bytes", Kind.INTEGER, "65536", "Largest `data` of one event, in bytes."),
            new ConfigKey("hub.publish.max-batch", Kind.INTEGER, "1000", "Most events in one atomic batch."),
            new ConfigKey("hub.publish.max-batch-bytes", Kind.INTEGER, "1048576",
                    "Largest body of a batch (a JSON array of events or domain events); larger gets 413 before it is parsed. "
                            + "A body holding one event may have `max-payload-bytes` plus 16 KiB."),
            new ConfigKey("hub.history.max-events", Kind.INTEGER, "1000", "Events kept per room for resume."),
            new ConfigKey("hub.history.max-age", Kind.DURATION, "24h", "Age after which events leave a room's history."),
            new ConfigKey("hub.connection.outbound-max-messages", Kind.INTEGER, "1024",
                    "Events queued for one client before the overflow policy applies."),
            new ConfigKey("hub.connection.outbound-max-bytes", Kind.INTEGER, "1048576",
                    "Bytes queued for one client before the overflow policy applies."),
            new ConfigKey("hub.connection.overflow-policy", Kind.CHOICE, "disconnect",
                    "`disconnect` (close 4010; the client resumes and loses nothing) or `drop-oldest` "
                            + "(drop queued events; the client gets `error SLOW_CONSUMER {dropped}`)."),
            new ConfigKey("hub.connection.close-grace", Kind.DURATION, "10s",
                    "A connection whose close cannot be written within this long (its client stopped reading) is cut off."),
            new ConfigKey("hub.connection.idle-timeout", Kind.DURATION, "0",
                    "A WebSocket client that sent no message for this long gets `disconnect` and close 4012 "
                            + "(pongs do not count). 0: off."),
            new ConfigKey("hub.connection.max-rooms", Kind.INTEGER, "100", "Rooms one connection may join."),
            new ConfigKey("hub.heartbeat.interval", Kind.DURATION, "30s", "Time between WebSocket ping frames."),
            new ConfigKey("hub.heartbeat.timeout", Kind.DURATION, "10s", "No pong within this after a ping closes with 4011."),
            new ConfigKey("hub.inbound.max-bytes", Kind.INTEGER, "4096",
                    "Largest client message, all fragments together; larger closes with 1009."),
            new ConfigKey("hub.inbound.rate-per-second", Kind.DECIMAL, "10", "Client messages per second (token bucket refill)."),
            new ConfigKey("hub.inbound.burst", Kind.INTEGER, "10", "Client messages allowed in a burst (token bucket size)."),
            new ConfigKey("hub.inbound.violations-to-close", Kind.INTEGER, "20",
                    "Rate-limited messages within 10 s that close the connection with 4008."),
            new ConfigKey("hub.webhooks.namespace", Kind.TEXT, "webhook",
                    "Requests to `/hooks/{id}` are published as `new-request` to the declared room `<namespace>:{id}`."),
            new ConfigKey("hub.webhooks.max-body-bytes", Kind.INTEGER, "1048576", "Largest webhook request body; larger gets 413."),
            new ConfigKey("hub.stats-interval", Kind.DURATION, "5s", "How often `stats_update` is pushed to room `$stats`."),
            new ConfigKey(BridgeConfig.INTAKE_ROOM, Kind.TEXT, "$domain-events",
                    "Room whose events carry domain event envelopes for the bridge rules (an application's outbox, or "
                            + "`POST /api/v1/events`); one of the hub's own `$` rooms, which clients cannot join."),
            new ConfigKey("hub.shutdown-grace", Kind.DURATION, "10s",
                    "On SIGTERM, time for clients to get `disconnect` and close before the process exits."),
            new ConfigKey("hub.data-dir", Kind.TEXT, "./data",
                    "Directory for durable data: the H2 event log `switchboard.mv.db` (created if missing; one hub per "
                            + "directory). Not used with `--ephemeral`, which keeps events in memory, nor with `hub.db.url`."),
            new ConfigKey("hub.db.url", Kind.TEXT, "",
                    "JDBC URL of a PostgreSQL database for the event log, e.g. `jdbc:postgresql://db:5432/switchboard`; "
                            + "several hubs on the same database are nodes of one cluster. Empty: H2 under `hub.data-dir`."),
            new ConfigKey("hub.db.user", Kind.TEXT, "", "User for `hub.db.url`."),
            new ConfigKey("hub.db.password", Kind.TEXT, "", "Password for `hub.db.url`; prefer the environment variable."));

    static final List<String> OVERFLOW_POLICIES = List.of("disconnect", "drop-oldest");
    static final List<String> AUTH_MODES = List.of("none", "optional", "required");
    static final List<String> AUTH_FAILURES = List.of("close", "reject");
    static final List<String> LIMIT_POLICIES = List.of("reject", "evict-oldest", "evict-oldest-idle");

    private ConfigSchema() {
    }

    static Optional<ConfigKey> find(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** Per-namespace settings: {@code hub.namespaces.<namespace>.<setting>}. */
    static final String NAMESPACES = "hub.namespaces";
    static final List<String> NAMESPACE_SETTINGS = List.of("access", "must-exist", "not-found-message",
            "throttle", "ack-timeout", "ack-retries");

    /** Configured endpoints: {@code hub.endpoints.<n>.<setting>}, a list in the file; see {@link EndpointConfig}. */
    static final String ENDPOINTS = "hub.endpoints";

    /** Whether a leaf found in a config file belongs to a known key (list elements appear as {@code key.0}). */
    static boolean known(String leaf) {
        if (BridgeConfig.covers(leaf)) {
            return BridgeConfig.known(leaf);
        }
        if (leaf.startsWith(ENDPOINTS + ".")) {
            return EndpointConfig.known(leaf);
        }
        if (leaf.startsWith(NAMESPACES + ".")) {
            String[] parts = leaf.substring(NAMESPACES.length() + 1).split("\\.");
            return parts.length == 2 && NAMESPACE_SETTINGS.contains(parts[1]);
        }
        for (ConfigKey key : KEYS) {
            if (key.name().equals(leaf) || (key.kind() == Kind.LIST && leaf.startsWith(key.name() + "."))) {
                return true;
            }
        }
        return false;
    }
}

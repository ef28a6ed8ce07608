package io.switchboard.application.port;

import java.util.Map;
import java.util.Objects;

/**
 * Connection limits (SPEC 8); 0 means no limit. Each limit has its own policy for a connection
 * over it.
 *
 * @param total                  connections to this hub (this node)
 * @param perIp                  connections from one IP address (cluster-wide on PostgreSQL)
 * @param perUser                connections of one user, authenticated clients (cluster-wide on PostgreSQL)
 * @param totalPolicy            what a new connection over {@code total} causes
 * @param perIpPolicy            what a new connection over {@code perIp} causes
 * @param perUserPolicy          what a new connection over {@code perUser} causes
 * @param attemptsPerIpPerMinute connection attempts from one IP address per minute (429 beyond)
 * @param endpoints              endpoints' own limits by endpoint path, on top of these
 */
public record LimitSettings(int total, int perIp, int perUser, LimitPolicy totalPolicy, LimitPolicy perIpPolicy,
                            LimitPolicy perUserPolicy, int attemptsPerIpPerMinute, Map<String, EndpointLimits> endpoints) {
    public LimitSettings {
        endpoints = Map.copyOf(endpoints);
        Objects.requireNonNull(totalPolicy, "totalPolicy");
        Objects.requireNonNull(perIpPolicy, "perIpPolicy");
        Objects.requireNonNull(perUserPolicy, "perUserPolicy");
        if (total < 0 || perIp < 0 || perUser < 0 || attemptsPerIpPerMinute < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /** No endpoint has limits of its own. */
    public LimitSettings(int total, int perIp, int perUser, LimitPolicy totalPolicy, LimitPolicy perIpPolicy,
                         LimitPolicy perUserPolicy, int attemptsPerIpPerMinute) {
        this(total, perIp, perUser, totalPolicy, perIpPolicy, perUserPolicy, attemptsPerIpPerMinute, Map.of());
    }

    /** These limits, with {@code endpoints}' own limits (by endpoint path) on top. */
    public LimitSettings withEndpoints(Map<String, EndpointLimits> endpoints) {
        return new LimitSettings(total, perIp, perUser, totalPolicy, perIpPolicy, perUserPolicy, attemptsPerIpPerMinute, endpoints);
    }

    /** One policy for the per-IP and per-user limits; the total limit rejects. */
    public LimitSettings(int total, int perIp, int perUser, LimitPolicy policy, int attemptsPerIpPerMinute) {
        this(total, perIp, perUser, LimitPolicy.REJECT, policy, policy, attemptsPerIpPerMinute);
    }

    public static LimitSettings none() {
        return new LimitSettings(0, 0, 0, LimitPolicy.REJECT, 0);
    }

    /** What a new connection over a limit causes. */
    public enum LimitPolicy {
        /** The new connection is refused: HTTP 503 with {@code CONNECTION_LIMIT}. */
        REJECT,
        /** The oldest connection under that limit gets {@code disconnect} and close 4009; the new one is let in. */
        EVICT_OLDEST,
        /** Like {@link #EVICT_OLDEST}, but the connection idle the longest goes. */
        EVICT_OLDEST_IDLE
    }
}

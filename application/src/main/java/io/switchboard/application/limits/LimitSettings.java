package io.switchboard.application.limits;

import java.util.Objects;

/**
 * Connection limits (SPEC 8); 0 means no limit.
 *
 * @param total                  connections to this hub
 * @param perIp                  connections from one IP address
 * @param perUser                connections of one user (authenticated clients)
 * @param policy                 what happens to a connection over the per-IP or per-user limit
 * @param attemptsPerIpPerMinute connection attempts from one IP address per minute (429 beyond)
 */
public record LimitSettings(int total, int perIp, int perUser, LimitPolicy policy, int attemptsPerIpPerMinute) {
    public LimitSettings {
        Objects.requireNonNull(policy, "policy");
        if (total < 0 || perIp < 0 || perUser < 0 || attemptsPerIpPerMinute < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    public static LimitSettings none() {
        return new LimitSettings(0, 0, 0, LimitPolicy.REJECT, 0);
    }

    /** What a new connection over a limit causes. */
    public enum LimitPolicy {
        /** The new connection is refused: HTTP 503 with {@code CONNECTION_LIMIT}. */
        REJECT,
        /** The oldest connection of that IP or user gets {@code disconnect} and close 4009; the new one is let in. */
        EVICT_OLDEST,
        /** Like {@link #EVICT_OLDEST}, but the connection idle the longest goes. */
        EVICT_OLDEST_IDLE
    }
}

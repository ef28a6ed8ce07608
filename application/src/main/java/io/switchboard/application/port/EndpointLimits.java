package io.switchboard.application.port;

import io.switchboard.application.port.LimitSettings.LimitPolicy;
import java.util.Objects;

/**
 * One endpoint's own connection limits ({@code hub.endpoints.<n>.limits}); 0 means no limit of the
 * endpoint's own. They count only the connections to that endpoint, on this node, and apply on top
 * of the hub's limits ({@link LimitSettings}), which still count every connection: a client must fit
 * both. A policy evicts only connections to the same endpoint.
 *
 * @param total   connections to the endpoint
 * @param perIp   connections to the endpoint from one IP address
 * @param perUser connections to the endpoint of one authenticated user
 * @param perRoom members an auto-joined room of the endpoint may have when a client of it joins; -1: the hub's
 *                {@code hub.limits.per-room}; 0: no limit
 */
public record EndpointLimits(int total, int perIp, int perUser, LimitPolicy totalPolicy, LimitPolicy perIpPolicy,
                             LimitPolicy perUserPolicy, int perRoom) {
    public static final EndpointLimits NONE = new EndpointLimits(0, 0, 0, LimitPolicy.REJECT, LimitPolicy.REJECT, LimitPolicy.REJECT, -1);

    public EndpointLimits {
        Objects.requireNonNull(totalPolicy, "totalPolicy");
        Objects.requireNonNull(perIpPolicy, "perIpPolicy");
        Objects.requireNonNull(perUserPolicy, "perUserPolicy");
        if (total < 0 || perIp < 0 || perUser < 0 || perRoom < -1) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /** Whether any connection count of the endpoint's own is limited (the room limit aside). */
    public boolean countsConnections() {
        return total > 0 || perIp > 0 || perUser > 0;
    }
}

package io.switchboard.application.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who a verified token speaks for.
 *
 * @param userId    the token's {@code sub}
 * @param roles     the token's {@code roles} ({@code admin}, {@code publisher}, ...)
 * @param rooms     the token's {@code rooms}: room names, or prefixes ending in {@code *}
 * @param expiresAt the token's {@code exp}
 * @param info      the token's {@code info} claim as JSON text (what presence shows of the connection), or {@code null}
 */
public record Principal(String userId, Set<String> roles, List<String> rooms, Instant expiresAt, String info) {
    /** The longest {@code info} kept, in characters; a longer one is dropped. */
    public static final int MAX_INFO = 1024;

    public Principal {
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
        rooms = List.copyOf(rooms);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A principal whose token has no {@code info}. */
    public Principal(String userId, Set<String> roles, List<String> rooms, Instant expiresAt) {
        this(userId, roles, rooms, expiresAt, null);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the token's {@code rooms} claim names {@code room}, exactly or by a {@code prefix*} pattern. */
    public boolean mayAccess(String room) {
        for (String pattern : rooms) {
            if (pattern.endsWith("*") ? room.startsWith(pattern.substring(0, pattern.length() - 1)) : room.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}

package io.switchboard.application.auth;

import io.switchboard.application.port.Principal;
import io.switchboard.domain.RoomName;

import java.util.Locale;

/**
 * Who may join the rooms of one namespace (SPEC 8): {@code public}, {@code authenticated},
 * {@code claim} (the token's {@code rooms} name the room), {@code owner} (the room is
 * {@code <namespace>:<sub>}), {@code role:<name>} or {@code members} (the user is in the room's
 * membership list, which {@link RoomAccess} consults).
 */
public record RoomPolicy(Kind kind, String role) {

    public enum Kind {
        PUBLIC, AUTHENTICATED, CLAIM, OWNER, ROLE, MEMBERS
    }

    public static final RoomPolicy PUBLIC = new RoomPolicy(Kind.PUBLIC, null);

    /** @throws IllegalArgumentException naming the accepted values */
    public static RoomPolicy parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.startsWith("role:") && value.length() > "role:".length()) {
            return new RoomPolicy(Kind.ROLE, value.substring("role:".length()));
        }
        try {
            Kind kind = Kind.valueOf(value.toUpperCase(Locale.ROOT));
            if (kind != Kind.ROLE) {
                return new RoomPolicy(kind, null);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + value + "' is not one of public, authenticated, claim, owner, members, role:<name>");
    }

    /** Why {@code principal} may not join {@code room}, or {@code null} when it may. */
    public String denial(Principal principal, RoomName room) {
        if (kind == Kind.PUBLIC) {
            return null;
        }
        if (principal == null) {
            return "room " + room + " needs an authenticated client";
        }
        return switch (kind) {
            case AUTHENTICATED, PUBLIC -> null;
            case CLAIM -> principal.mayAccess(room.value()) ? null : "the token's rooms claim does not include " + room;
            case OWNER -> room.value().equals(room.namespace() + ":" + principal.userId())
                    ? null : "room " + room + " belongs to another user";
            case ROLE -> principal.hasRole(role) ? null : "room " + room + " needs the role " + role;
            case MEMBERS -> throw new IllegalStateException("membership is decided by RoomAccess");
        };
    }
}

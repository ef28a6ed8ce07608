package io.switchboard.application.auth;

import io.switchboard.domain.RoomName;

import java.util.Map;

/** The room policies by namespace; namespaces without one are public. Admins may join any room. */
public final class RoomAccess {
    private final Map<String, RoomPolicy> byNamespace;

    public RoomAccess(Map<String, RoomPolicy> byNamespace) {
        this.byNamespace = Map.copyOf(byNamespace);
    }

    public static RoomAccess open() {
        return new RoomAccess(Map.of());
    }

    /** Why {@code principal} (null: anonymous) may not join {@code room}, or {@code null} when it may. */
    public String denial(Principal principal, RoomName room) {
        if (principal != null && principal.hasRole("admin")) {
            return null;
        }
        return byNamespace.getOrDefault(room.namespace(), RoomPolicy.PUBLIC).denial(principal, room);
    }
}

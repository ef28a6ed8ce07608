package io.switchboard.application.auth;

import io.switchboard.application.port.Principal;
import io.switchboard.application.port.out.RoomMembers;
import io.switchboard.domain.RoomName;

import java.util.Map;
import java.util.Optional;

/** The room policies by namespace; namespaces without one are public. Admins may join any room. */
public final class RoomAccess {
    private final Map<String, RoomPolicy> byNamespace;
    private final Optional<RoomMembers> members;

    public RoomAccess(Map<String, RoomPolicy> byNamespace, Optional<RoomMembers> members) {
        this.byNamespace = Map.copyOf(byNamespace);
        this.members = members;
    }

    public static RoomAccess open() {
        return new RoomAccess(Map.of(), Optional.empty());
    }

    /** Why {@code principal} (null: anonymous) may not join {@code room}, or {@code null} when it may. */
    public String denial(Principal principal, RoomName room) {
        if (principal != null && principal.hasRole("admin")) {
            return null;
        }
        RoomPolicy policy = byNamespace.getOrDefault(room.namespace(), RoomPolicy.PUBLIC);
        if (policy.kind() != RoomPolicy.Kind.MEMBERS) {
            return policy.denial(principal, room);
        }
        if (principal == null) {
            return "room " + room + " needs an authenticated member";
        }
        return members.map(m -> m.isMember(room, principal.userId())).orElse(false)
                ? null : principal.userId() + " is not a member of room " + room;
    }

    /** This hub with the membership list the {@code members} policy reads. */
    public RoomAccess withMembers(RoomMembers roomMembers) {
        return new RoomAccess(byNamespace, Optional.of(roomMembers));
    }
}

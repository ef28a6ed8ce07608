package io.switchboard.application.port;

import java.util.Set;

/**
 * Which audit entries a reader wants; {@code null} or empty parts match everything.
 *
 * @param types entry types, or type prefixes ending in {@code .} ({@code auth.})
 */
public record AuditFilter(Set<String> types, String user, String room, String ip) {
    public AuditFilter {
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    public static AuditFilter all() {
        return new AuditFilter(Set.of(), null, null, null);
    }

    public boolean matches(AuditEntry entry) {
        return (types.isEmpty() || types.contains(entry.type()) || types.stream().anyMatch(t -> t.endsWith(".") && entry.type().startsWith(t)))
                && (user == null || user.equals(entry.userId()))
                && (room == null || room.equals(entry.room()))
                && (ip == null || ip.equals(entry.ip()));
    }
}

package io.switchboard.application.presence;

import io.switchboard.domain.RoomName;

import java.util.Map;

/**
 * Which namespaces keep presence (namespace {@code presence: true}), whether their members hear each
 * other's joins and leaves ({@code presence-events}), and how many members of one room are tracked
 * ({@code presence-max-members}).
 */
public record PresenceSettings(Map<String, Namespace> namespaces) {
    public static final PresenceSettings NONE = new PresenceSettings(Map.of());
    public static final int DEFAULT_MAX_MEMBERS = 10_000;

    public PresenceSettings {
        namespaces = Map.copyOf(namespaces);
    }

    /**
     * @param events     members are sent {@code presence.join} / {@code presence.leave} of the others
     * @param maxMembers members of one room that are tracked; a member beyond is not listed, counted nor announced
     */
    public record Namespace(boolean events, int maxMembers) {
        public Namespace {
            if (maxMembers < 1) {
                throw new IllegalArgumentException("presence-max-members must be at least 1");
            }
        }
    }

    /** The presence rules of {@code room}'s namespace, or {@code null} when it keeps none (and for the hub's own rooms). */
    public Namespace of(RoomName room) {
        return room.reserved() ? null : namespaces.get(room.namespace());
    }

    public boolean any() {
        return !namespaces.isEmpty();
    }
}

package io.switchboard.domain;

import java.util.regex.Pattern;

/** A room's name: {@code [A-Za-z0-9_.:@-]{1,128}}, optionally {@code $}-prefixed for rooms the hub owns. */
public record RoomName(String value) implements Comparable<RoomName> {
    private static final Pattern NAME = Pattern.compile("\\$?[A-Za-z0-9_.:@-]{1,128}");

    public RoomName {
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why {@code candidate} is not a room name, or {@code null} when it is one. */
    public static String problemWith(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return "room name is missing";
        }
        if (!NAME.matcher(candidate).matches()) {
            return "room name must match [A-Za-z0-9_.:@-]{1,128}";
        }
        return null;
    }

    /** The part before the first {@code :}; the whole name when it has none. */
    public String namespace() {
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** Rooms starting with {@code $} belong to the hub ({@code $stats}, {@code $audit}). */
    public boolean reserved() {
        return value.charAt(0) == '$';
    }

    @Override
    public int compareTo(RoomName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

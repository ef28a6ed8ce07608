package io.switchboard.domain;

/** A room event's id: strictly increasing within a room, never reused. A decimal string on the wire. */
public record EventId(long value) implements Comparable<EventId> {
    public EventId {
        if (value < 0) {
            throw new IllegalArgumentException("event id must not be negative");
        }
    }

    /** Parses a wire id; {@link IllegalArgumentException} with a readable message when it is not one. */
    public static EventId parse(String wire) {
        if (wire == null || wire.isEmpty() || wire.length() > 19) {
            throw new IllegalArgumentException("event id must be a decimal number");
        }
        for (int i = 0; i < wire.length(); i++) {
            char c = wire.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("event id must be a decimal number");
            }
        }
        try {
            return new EventId(Long.parseLong(wire));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("event id must be a decimal number");
        }
    }

    public boolean after(EventId other) {
        return value > other.value;
    }

    @Override
    public int compareTo(EventId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}

package io.switchboard.domain;

import java.util.regex.Pattern;

/** Rules for an event's type name: {@code [A-Za-z0-9_.:-]{1,64}}. */
public final class EventType {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private EventType() {
    }

    /** Why {@code candidate} is not a valid type, or {@code null} when it is one. */
    public static String problemWith(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return "type is missing";
        }
        if (!TYPE.matcher(candidate).matches()) {
            return "type must match [A-Za-z0-9_.:-]{1,64}";
        }
        return null;
    }
}

package io.switchboard.application.port.out;

import java.time.Duration;

/** How much of each room's history an event log keeps for resume: by count and by age. */
public record HistoryRetention(int maxEvents, Duration maxAge) {
    public HistoryRetention {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("history must keep at least one event");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("history age must be positive");
        }
    }

    public static HistoryRetention defaults() {
        return new HistoryRetention(1000, Duration.ofHours(24));
    }
}

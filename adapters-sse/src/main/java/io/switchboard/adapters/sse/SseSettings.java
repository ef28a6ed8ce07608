package io.switchboard.adapters.sse;

import java.time.Duration;
import java.util.Objects;

/**
 * The SSE endpoint's settings.
 *
 * @param path      where clients connect ({@code /sse?rooms=a,b})
 * @param heartbeat how often a comment line is sent to an otherwise quiet stream
 * @param retry     the reconnect delay suggested to clients when the stream opens
 */
public record SseSettings(String path, Duration heartbeat, Duration retry) {
    public SseSettings {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an SSE path must start with /");
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(retry, "retry");
    }
}

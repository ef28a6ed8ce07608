package io.switchboard.adapters.sse;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.auth.EndpointAuthenticator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The SSE endpoint's settings.
 *
 * @param path      where clients connect ({@code /sse?rooms=a,b})
 * @param heartbeat how often a comment line is sent to an otherwise quiet stream
 * @param retry     the reconnect delay suggested to clients when the stream opens
 * @param auth      the endpoint's auth mode; failures are plain 401 answers
 * @param origins   allowed {@code Origin} values, exactly; empty allows any; requests without Origin are allowed
 */
public record SseSettings(String path, Duration heartbeat, Duration retry, AuthMode auth, List<String> origins) {
    public SseSettings {
        origins = List.copyOf(origins);
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an SSE path must start with /");
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(auth, "auth");
    }
}

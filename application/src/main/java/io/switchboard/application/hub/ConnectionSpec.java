package io.switchboard.application.hub;

import io.switchboard.application.port.Principal;
import java.util.Objects;

/**
 * What a transport knows about a new connection.
 *
 * @param endpoint  the configured path the client connected to
 * @param transport {@code websocket} or {@code sse}
 * @param principal who the client's token speaks for, or {@code null} for anonymous clients
 * @param batch     whether the client asked for newline-batched frames
 */
public record ConnectionSpec(String endpoint, String transport, String remoteIp, Principal principal, boolean batch) {
    public ConnectionSpec {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remoteIp, "remoteIp");
    }
}

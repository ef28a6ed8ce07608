package io.switchboard.adapters.websocket;

import java.util.Objects;

/**
 * The canonical WebSocket endpoint's settings.
 *
 * @param path the path clients connect to ({@code /ws})
 */
public record WebSocketSettings(String path) {
    public WebSocketSettings {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a WebSocket path must start with /");
        }
    }
}

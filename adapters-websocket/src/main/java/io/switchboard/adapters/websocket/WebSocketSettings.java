package io.switchboard.adapters.websocket;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.auth.EndpointAuthenticator;

import java.util.List;
import java.util.Objects;

/**
 * The canonical WebSocket endpoint's settings.
 *
 * @param path                where clients connect ({@code /ws})
 * @param auth                the endpoint's auth mode
 * @param rejectBeforeUpgrade on a bad or missing token, answer 401 before the upgrade instead of
 *                            accepting and closing with 4001 (which a browser can read)
 * @param origins             allowed {@code Origin} values, exactly; empty allows any. Requests
 *                            without an Origin (non-browser clients) are always allowed
 * @param auditPath           where administrators watch the audit stream ({@code /ws/audit})
 */
public record WebSocketSettings(String path, AuthMode auth, boolean rejectBeforeUpgrade, List<String> origins,
                                String auditPath) {
    public WebSocketSettings {
        origins = List.copyOf(origins);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(auth, "auth");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a WebSocket path must start with /");
        }
    }
}

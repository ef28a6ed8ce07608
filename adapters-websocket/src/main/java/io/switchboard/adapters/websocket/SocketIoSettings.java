package io.switchboard.adapters.websocket;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.auth.EndpointAuthenticator;

import java.util.List;
import java.util.Objects;

/**
 * The Socket.IO endpoint's settings (SPEC 3.2).
 *
 * @param path    where {@code socket.io-client} connects ({@code /socket.io}); empty turns the endpoint off
 * @param room    template turning the argument of {@code join}/{@code leave} into a room: {@code {value}} is the argument
 * @param auth    the endpoint's auth mode; the token comes from the {@code auth} payload of the namespace
 *                connect, else the {@code token} query parameter, the {@code Authorization} header or the cookie
 * @param origins allowed {@code Origin} values, exactly; empty allows any
 */
public record SocketIoSettings(String path, String room, AuthMode auth, List<String> origins) {
    public SocketIoSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(auth, "auth");
        origins = List.copyOf(origins);
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("a Socket.IO path must start with /");
        }
        if (!room.contains("{value}")) {
            throw new IllegalArgumentException("a Socket.IO room template must contain {value}");
        }
    }

    public boolean enabled() {
        return !path.isEmpty();
    }

    /** The path without a trailing slash: the client asks for {@code /socket.io/}, Helidon matches exactly. */
    String basePath() {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Whether a request with this {@code Origin} header (or none: {@code null}) may continue a session. */
    boolean originAllowed(String origin) {
        return origin == null || origins.isEmpty() || origins.contains(origin);
    }

    String roomFor(String value) {
        return room.replace("{value}", value);
    }
}

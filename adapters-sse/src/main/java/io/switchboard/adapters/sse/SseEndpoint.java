package io.switchboard.adapters.sse;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.auth.EndpointAuthenticator;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured SSE endpoint whose path names its rooms, e.g. {@code /api/v1/proposals/{id}/events}
 * streaming the room {@code proposal:{id}} (seed 003).
 *
 * @param path  a path with {@code {parameters}}
 * @param rooms room templates over the path's parameters
 * @param auth  the endpoint's auth mode
 */
public record SseEndpoint(String path, List<String> rooms, AuthMode auth) {
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    public SseEndpoint {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(auth, "auth");
        rooms = List.copyOf(rooms);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an endpoint path must start with /");
        }
        if (rooms.isEmpty()) {
            throw new IllegalArgumentException("an SSE endpoint needs at least one room template");
        }
        for (String room : rooms) {
            Matcher m = PARAMETER.matcher(room);
            while (m.find()) {
                if (!path.contains("{" + m.group(1) + "}")) {
                    throw new IllegalArgumentException("room template " + room + " uses {" + m.group(1) + "}, which the path does not have");
                }
            }
        }
    }

    /** The endpoint's rooms for a request's path parameters, comma-separated. */
    String roomsFor(Map<String, String> parameters) {
        StringBuilder joined = new StringBuilder();
        for (String template : rooms) {
            Matcher m = PARAMETER.matcher(template);
            StringBuilder room = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(room, Matcher.quoteReplacement(parameters.getOrDefault(m.group(1), "")));
            }
            m.appendTail(room);
            joined.append(joined.isEmpty() ? "" : ",").append(room);
        }
        return joined.toString();
    }
}

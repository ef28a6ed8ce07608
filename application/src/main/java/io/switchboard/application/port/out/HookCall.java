package io.switchboard.application.port.out;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One question for the application's hook, with what the hub knows about the client.
 *
 * @param url          where the hook is
 * @param timeout      how long the answer may take, connecting included
 * @param endpoint     the endpoint's configured path template ({@code /ws/projects/{project_id}})
 * @param path         the path the client asked for, or {@code null} (a join or command after connect)
 * @param params       the path's parameters
 * @param headers      the request headers the hook asked for, by lower-case name
 * @param claims       the verified token's claims ({@code sub}, {@code roles}, {@code rooms}, {@code exp}); empty when anonymous
 * @param userId       the client's user, or {@code null}
 * @param room         the room joined or commanded, or {@code null} (connect)
 * @param command      the command's name and data, or {@code null}
 * @param connectionId the connection's id, or {@code null} (connect: there is none yet)
 */
public record HookCall(URI url, Duration timeout, String endpoint, String path, Map<String, String> params,
                       Map<String, String> headers, Map<String, Object> claims, String userId, String room, Command command,
                       String connectionId) {
    public HookCall {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(endpoint, "endpoint");
        params = Map.copyOf(params);
        headers = Map.copyOf(headers);
        claims = Map.copyOf(claims);
    }

    /** @param data JSON text; {@code "null"} when the client sent none */
    public record Command(String name, String data) {
        public Command {
            Objects.requireNonNull(name, "name");
            data = data == null ? "null" : data;
        }
    }

    /** The claims a hook is shown for a token: its subject, roles, rooms and expiry (seconds since the epoch). */
    public static Map<String, Object> claims(String sub, List<String> roles, List<String> rooms, long exp) {
        return Map.of("sub", sub, "roles", List.copyOf(roles), "rooms", List.copyOf(rooms), "exp", exp);
    }
}

package io.switchboard.application.port.in;

import io.switchboard.application.port.Principal;

/**
 * A client's command for the publishers behind a room (SPEC 5), e.g. "cancel this iteration".
 *
 * @param data         JSON text, {@code null} when absent
 * @param connectionId the connection that sent it, or {@code null} (sent over HTTP)
 * @param userId       the connection's user, or {@code null} for anonymous clients
 * @param endpoint     the endpoint it came through (a connection's endpoint path, or the HTTP route), for a command hook
 * @param principal    who sent it, or {@code null} for anonymous clients, for a command hook
 */
public record CommandRequest(String room, String name, String data, String connectionId, String userId, String endpoint,
                             Principal principal) {

    public CommandRequest(String room, String name, String data, String connectionId, String userId) {
        this(room, name, data, connectionId, userId, "", null);
    }
}

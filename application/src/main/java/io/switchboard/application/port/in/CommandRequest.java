package io.switchboard.application.port.in;

/**
 * A client's command for the publishers behind a room (SPEC 5), e.g. "cancel this iteration".
 *
 * @param data         JSON text, {@code null} when absent
 * @param connectionId the connection that sent it
 * @param userId       the connection's user, or {@code null} for anonymous clients
 */
public record CommandRequest(String room, String name, String data, String connectionId, String userId) {
}

package io.switchboard.application.port.in;

/**
 * Who asks for which part of a room's history, as the caller sent it.
 *
 * @param room      the room's name as sent
 * @param since     the last id the caller has, or {@code null}: then the newest events
 * @param limit     the most events wanted, as sent, or {@code null} for {@link ReadHistoryUseCase#DEFAULT_LIMIT}
 * @param token     the token the caller presented (a JWT), or {@code null} when anonymous
 * @param trusted   a publisher or an administrator: the room's policy does not apply
 * @param peer      the caller's address, for the audit trail
 * @param endpoint  the path asked, for the audit trail
 */
public record HistoryRequest(String room, String since, String limit, String token, boolean trusted, String peer, String endpoint) {
}

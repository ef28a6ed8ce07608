package io.switchboard.application.port.in;

/**
 * A room's recent events on request (SPEC 16, {@code GET /api/v1/rooms/{room}/events}): with
 * {@code since}, exactly the events after it or why they can no longer be had, as a {@code join}
 * with {@code since} is answered; without it, the room's newest events.
 */
public interface ReadHistoryUseCase {
    /** Events in a page when the request names no limit. */
    int DEFAULT_LIMIT = 100;
    /** The most events one page may hold. */
    int MAX_LIMIT = 1000;

    HistoryAnswer read(HistoryRequest request);
}

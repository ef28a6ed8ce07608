package io.switchboard.application.port.in;

/**
 * Passes a client's command upstream: to the publishers reading {@code GET /api/v1/commands}, or, where
 * the room's namespace has a command hook, to the application, whose answer comes back (SPEC 5, 16).
 */
public interface SendCommandUseCase {

    /** @throws InvalidInputException when the room, name or data is not acceptable; nothing is sent then */
    CommandOutcome send(CommandRequest command);
}

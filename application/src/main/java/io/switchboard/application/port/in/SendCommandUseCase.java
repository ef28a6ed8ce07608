package io.switchboard.application.port.in;

/** Passes a client's command upstream to the publishers reading {@code GET /api/v1/commands}. */
public interface SendCommandUseCase {

    /**
     * @return the command's id in the command stream
     * @throws InvalidInputException when the room, name or data is not acceptable; nothing is sent then
     */
    String send(CommandRequest command);
}

package io.switchboard.application.port.in;

/** Publishes events into rooms. */
public interface PublishEventsUseCase {

    /**
     * @throws InvalidInputException listing every problem, when anything is invalid; nothing is stored then
     */
    PublishReceipt publish(PublishCommand command);
}

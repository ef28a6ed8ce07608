package io.switchboard.application.port.in;

/** Turns an application's domain events into hub events by the configured bridge rules. */
public interface PublishDomainEventsUseCase {

    /**
     * @throws InvalidInputException listing every problem, when an envelope is malformed or an event
     *                               it becomes cannot be published; nothing is published then
     */
    DomainEventReceipt publish(DomainEventCommand command);
}

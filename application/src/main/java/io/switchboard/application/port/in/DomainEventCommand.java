package io.switchboard.application.port.in;

import java.util.List;

/**
 * Domain events posted together; the events they become are published atomically.
 *
 * @param batch        the events came as an array (problems are then named {@code [i].field})
 * @param readProblems problems the adapter found while reading the request, reported with the rest
 */
public record DomainEventCommand(List<DomainEvent> events, boolean batch, List<Problem> readProblems) {
    public DomainEventCommand {
        events = List.copyOf(events);
        readProblems = readProblems == null ? List.of() : List.copyOf(readProblems);
    }
}

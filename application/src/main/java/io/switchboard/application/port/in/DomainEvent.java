package io.switchboard.application.port.in;

/**
 * A domain event as an application's event bus carries it (seed 001's {@code EventEnvelope}), not
 * yet validated. Every field may be {@code null} when the sender left it out.
 *
 * @param payload  JSON text of the payload
 * @param metadata JSON text of the metadata ({@code {"correlationId": …}})
 */
public record DomainEvent(String eventType, String aggregateType, String aggregateId, String occurredAt,
                          String payload, String metadata) {
    /** Stands in for an element the adapter could not read at all (not an object) and already reported. */
    public static final DomainEvent UNREADABLE = new DomainEvent(null, null, null, null, null, null);
}

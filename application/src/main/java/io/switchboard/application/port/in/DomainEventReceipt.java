package io.switchboard.application.port.in;

import java.util.Map;

/**
 * What the bridge made of posted domain events.
 *
 * @param published events published into rooms
 * @param ids       room -> id of the newest event published there
 * @param ignored   domain events no rule matched, or whose room could not be resolved
 */
public record DomainEventReceipt(int published, Map<String, String> ids, int ignored) {
    public DomainEventReceipt {
        ids = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ids));
    }
}

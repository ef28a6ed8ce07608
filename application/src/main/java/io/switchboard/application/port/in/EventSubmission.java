package io.switchboard.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event as a publisher sent it, not yet validated: the publish use case checks every field
 * and reports every problem at once.
 *
 * @param room  the single room, or {@code null} when {@code rooms} is used
 * @param rooms several rooms, or {@code null} when {@code room} is used
 * @param data  JSON text of the data, {@code null} when absent
 * @param occurredAt the event's timestamp as its source gave it (a bridged domain event's {@code occurredAt}), or
 *                   {@code null}: stamped when published
 */
public record EventSubmission(String room, List<String> rooms, String type, String data,
                              Map<String, String> meta, boolean critical, String key, Instant occurredAt) {
    /** An event stamped when it is published. */
    public EventSubmission(String room, List<String> rooms, String type, String data, Map<String, String> meta, boolean critical,
                           String key) {
        this(room, rooms, type, data, meta, critical, key, null);
    }
}

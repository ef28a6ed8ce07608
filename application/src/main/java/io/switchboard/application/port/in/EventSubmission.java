package io.switchboard.application.port.in;

import java.util.List;
import java.util.Map;

/**
 * One event as a publisher sent it, not yet validated: the publish use case checks every field
 * and reports every problem at once.
 *
 * @param room  the single room, or {@code null} when {@code rooms} is used
 * @param rooms several rooms, or {@code null} when {@code room} is used
 * @param data  JSON text of the data, {@code null} when absent
 */
public record EventSubmission(String room, List<String> rooms, String type, String data,
                              Map<String, String> meta, boolean critical, String key) {
}

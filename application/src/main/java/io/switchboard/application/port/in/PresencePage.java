package io.switchboard.application.port.in;

import java.util.List;

/**
 * One page of a room's members: {@code users} and {@code connections} are the room's totals, {@code next}
 * the cursor of the following page ({@code null} on the last).
 */
public record PresencePage(String room, List<Client> clients, long users, long connections, String next) {
    public PresencePage {
        clients = List.copyOf(clients);
    }

    /** One member: {@code userId} null when anonymous, {@code info} JSON text or null. */
    public record Client(String connectionId, String userId, String info) {
    }
}

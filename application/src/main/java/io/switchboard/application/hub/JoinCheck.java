package io.switchboard.application.hub;

import io.switchboard.domain.RoomName;

/**
 * A check of a client's join beyond the hub's own rules, asked after them: the namespaces' subscribe
 * hooks (SPEC 16, {@code hooks/SubscribeHooks}).
 */
@FunctionalInterface
public interface JoinCheck {
    /** Nothing beyond the hub's rules. */
    JoinCheck NONE = (connection, room) -> null;

    /** Why {@code connection} may not join {@code room}, as the {@code error} to send it (its code and message), or {@code null}. */
    Refusal refusal(Connection connection, RoomName room);

    /** @param code the application's code (or the hub's, when the check could not be made), passed to the client as it is */
    record Refusal(String code, String message) {
    }
}

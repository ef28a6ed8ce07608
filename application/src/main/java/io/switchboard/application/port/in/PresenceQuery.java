package io.switchboard.application.port.in;

/** Who is in a room (SPEC 16): one page of its members and its totals. */
public interface PresenceQuery {
    /**
     * @throws PresenceDisabledException when the room's namespace keeps no presence
     * @throws InvalidInputException     when the room, the limit or the cursor is malformed
     */
    PresencePage presence(PresenceRequest request);
}

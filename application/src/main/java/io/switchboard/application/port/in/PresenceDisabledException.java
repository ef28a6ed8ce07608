package io.switchboard.application.port.in;

/** A presence query of a room whose namespace keeps no presence ({@code PRESENCE_DISABLED}). */
public final class PresenceDisabledException extends RuntimeException {
    public PresenceDisabledException(String message) {
        super(message);
    }
}

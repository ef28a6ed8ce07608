package io.switchboard.application.hub;

/** A dialect: turns what the hub sends into the text of one frame. */
@FunctionalInterface
public interface MessageRenderer {
    String render(Outbound message);

    /** Whether clients of this dialect acknowledge critical events ({@code ack}); without, they are written once and not tracked. */
    default boolean acks() {
        return true;
    }

    /** Whether this dialect has a connection status message: then {@code connected} is followed by {@link Outbound.ConnectionState}. */
    default boolean announcesConnectionState() {
        return false;
    }
}

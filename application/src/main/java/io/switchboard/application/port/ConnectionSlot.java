package io.switchboard.application.port;

/**
 * A connection's place in the connection limits, handed out by admission and held by the connection
 * until it ends. The limits may take it back (a newer connection evicts this one) through the
 * {@link SlotHolder} attached to it.
 */
public interface ConnectionSlot {

    /** The connection admitted for this slot now exists; an eviction decided before this reaches it now. */
    void attach(SlotHolder holder);

    /** Gives the place back; a second call does nothing. */
    void release();
}

package io.switchboard.application.port;

/** What the connection limits see of a connection that holds a {@link ConnectionSlot}. */
public interface SlotHolder {

    /** Whether the connection is still open (a closing one is no candidate for eviction). */
    boolean open();

    /** How long the connection has been without traffic at {@code nowNanos} ({@link System#nanoTime()}). */
    long idleMillis(long nowNanos);

    /** Ends the connection because a newer one took its place (close 4009), recording why. */
    void evict(String reason);
}

package io.switchboard.bench;

/**
 * How one kind of attacker's sockets fared before the hub answered what they asked (an upgrade, a
 * stream): connected, refused at their accept (the socket cap), or answered otherwise than asked.
 */
final class Openings {
    /** A socket that ends unanswered sooner than this after its connect was refused at its accept. */
    private static final long REFUSED_WITHIN_NANOS = 1_000_000_000L;

    long connected;
    long refused;
    long notAnswered;

    /** The socket ended, {@code aliveNanos} after its connect, before the hub answered its request. */
    void endedUnanswered(long aliveNanos) {
        if (aliveNanos < REFUSED_WITHIN_NANOS) {
            refused++;
        } else {
            notAnswered++;
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%,d connected (%,d refused at once, %,d not answered as asked)", connected,
                refused, notAnswered);
    }
}

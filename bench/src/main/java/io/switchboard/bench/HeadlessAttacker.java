package io.switchboard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An attacker that never finishes a request head (a silent socket, a slowloris): it reads only to see
 * the hub close it (or answer it, which it should not), and counts how long the socket lived.
 */
abstract class HeadlessAttacker extends Attacker {
    protected final HeadlessTally tally;
    private final ByteBuffer scratch = ByteBuffer.allocate(512);
    private boolean answered;

    HeadlessAttacker(AttackLoop loop, HeadlessTally tally) {
        super(loop);
        this.tally = tally;
    }

    /** The socket is connected: start sending (or not). */
    protected abstract void started() throws IOException;

    /** The hub closed the socket ({@code refused}: at once): when to open the next. */
    protected void again(boolean refused) {
        if (refused) {
            reopenLater();
        } else {
            reopen(0);
        }
    }

    @Override
    protected final void onConnected() throws IOException {
        tally.connected++;
        answered = false;
        started();
    }

    @Override
    protected final void onReadable() throws IOException {
        scratch.clear();
        int n = read(scratch);
        if (n < 0) {
            ended();
        } else if (n > 0 && !answered) {
            answered = true;
            tally.answered++;
        }
    }

    @Override
    protected final void onEnded(boolean reset) {
        again(tally.ended(aliveNanos(), answered));
    }

    @Override
    protected final void atEnd(boolean connected) {
        if (connected) {
            tally.openAtEnd++;
        }
    }
}

package io.switchboard.bench;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Drop-without-close: upgrades, joins the room and reads its events for a while, then lets the socket
 * go without a close frame — with an RST (three in four) or a bare FIN — and connects again. One in
 * ten goes right after sending the upgrade, one in ten right after the {@code 101}, before joining.
 */
final class DropClient extends WsAttacker {
    /** What became of the drop clients. */
    static final class Tally {
        final Openings openings = new Openings();
        long joined;
        long droppedBeforeUpgrade;
        long droppedBeforeJoin;
        long droppedJoined;
        long resets;
        long events;
        /** Connections the hub ended before the client dropped them, by close code (-1: no close frame). */
        final Map<Integer, Integer> endedByHub = new TreeMap<>();
    }

    private enum Plan { BEFORE_UPGRADE, BEFORE_JOIN, JOINED }

    private final Tally tally;
    private final String room;
    private final long minLifeNanos;
    private final long lifeSpreadNanos;
    private Plan plan;
    private boolean joined;

    DropClient(AttackLoop loop, WireCheck wire, Tally tally, String room, double minLifeSeconds, double maxLifeSeconds) {
        super(loop, wire, tally.openings, "/ws");
        this.tally = tally;
        this.room = room;
        this.minLifeNanos = (long) (minLifeSeconds * 1e9);
        this.lifeSpreadNanos = Math.max(1, (long) ((maxLifeSeconds - minLifeSeconds) * 1e9));
    }

    @Override
    protected void onConnected() throws IOException {
        joined = false;
        int r = ThreadLocalRandom.current().nextInt(10);
        plan = r == 0 ? Plan.BEFORE_UPGRADE : r == 1 ? Plan.BEFORE_JOIN : Plan.JOINED;
        super.onConnected();
        if (plan == Plan.BEFORE_UPGRADE) {
            drop(); // the hub reads the request and finds the socket gone
        }
    }

    @Override
    protected void onUpgraded() throws IOException {
        if (plan == Plan.BEFORE_JOIN) {
            drop();
        }
    }

    @Override
    protected void onFrame(int opcode, byte[] a, int offset, int length) throws IOException {
        if (opcode != WsCodec.OP_TEXT) {
            return;
        }
        if (joined) {
            tally.events++;
        } else if (startsWith(a, offset, length, "{\"type\":\"connected\"")) {
            sendText("{\"type\":\"join\",\"data\":{\"room\":\"" + room + "\"}}");
        } else if (startsWith(a, offset, length, "{\"type\":\"joined\"")) {
            joined = true;
            tally.joined++;
            schedule(System.nanoTime() + minLifeNanos + ThreadLocalRandom.current().nextLong(lifeSpreadNanos));
        }
    }

    @Override
    protected void onTimer() {
        drop();
    }

    private void drop() {
        switch (plan) {
            case BEFORE_UPGRADE -> tally.droppedBeforeUpgrade++;
            case BEFORE_JOIN -> tally.droppedBeforeJoin++;
            case JOINED -> tally.droppedJoined++;
        }
        boolean reset = ThreadLocalRandom.current().nextInt(4) != 0;
        if (reset) {
            tally.resets++;
        }
        closeSocket(reset);
        reopen(0);
    }

    @Override
    protected void onClosed(boolean reset) {
        tally.endedByHub.merge(closeCode, 1, Integer::sum);
        reopen(0);
    }
}

package io.switchboard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fuzzing WebSocket connection: right after the {@code 101} it writes one {@link FuzzFrames} script
 * and reads what the hub answers (strictly, as every {@link WsAttacker} does). A hub that finds a broken
 * rule closes first, with its code; one that took every frame is sent a close 1000 after half a second
 * and answers it. The fuzzer answers the hub's close frame and waits for the hub to close the socket —
 * except one connection in eight, which never answers it (a client that went deaf), to see whether the
 * hub closes the socket all the same. Then the next connection, when the {@link Pace} allows. Each
 * script's outcome is counted by its hostile kind.
 */
final class FrameFuzzer extends WsAttacker {
    /** How long the hub has to find a broken rule before the fuzzer closes itself. */
    private static final long VERDICT_NANOS = 500_000_000L;
    private static final long ANSWER_NANOS = 3_000_000_000L;
    private static final long CLOSING_NANOS = 1_000_000_000L;
    private static final long DEAF_NANOS = 3_000_000_000L;

    /** Spreads the fuzzing over the run: {@code target} frames over {@code share} of its seconds, and on at that rate. */
    static final class Pace {
        private final long target;
        private final long startNanos;
        private final double nanosForTarget;

        Pace(long target, long startNanos, double seconds, double share) {
            this.target = target;
            this.startNanos = startNanos;
            this.nanosForTarget = seconds * share * 1e9;
        }

        boolean allows(long framesSoFar) {
            return framesSoFar < target * ((System.nanoTime() - startNanos) / nanosForTarget) + 1;
        }
    }

    /** What the fuzzers sent and what the hub answered. */
    static final class Tally {
        final Openings openings = new Openings();
        long scripts;
        long frames;
        long bytes;
        /** Scripts with no close frame from the hub within 3 s (the fuzzer then reset the socket). */
        long unanswered;
        /** Close handshakes after which the hub kept the socket open for 1 s. */
        long socketKeptAfterClose;
        /** The hub's close frames left unanswered on purpose, by close code: {closed the socket within 3 s, still open}. */
        final Map<Integer, long[]> deaf = new TreeMap<>();
        final Map<Integer, Integer> closeCodes = new TreeMap<>();
        /** Hostile kind → what the hub did → scripts. */
        final Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
        /** The hub's {@code error} messages by code. */
        final Map<String, Integer> errors = new TreeMap<>();

        void outcome(String kind, String what) {
            outcomes.computeIfAbsent(kind, k -> new TreeMap<>()).merge(what, 1, Integer::sum);
        }
    }

    private enum Phase { UPGRADING, SENT, CLOSE_SENT, CLOSING, DEAF }

    private static final byte[] CODE = "\"code\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Tally tally;
    private final FuzzFrames scripts;
    private final Pace pace;
    private final java.util.SplittableRandom random;
    private Phase phase;
    private String kind;
    private boolean hubClosed;

    FrameFuzzer(AttackLoop loop, WireCheck wire, Tally tally, FuzzFrames scripts, Pace pace) {
        super(loop, wire, tally.openings, "/ws");
        this.tally = tally;
        this.scripts = scripts;
        this.pace = pace;
        this.random = new java.util.SplittableRandom(System.identityHashCode(this));
    }

    @Override
    protected boolean mayOpen() {
        return pace.allows(tally.frames);
    }

    @Override
    protected void onConnected() throws IOException {
        phase = Phase.UPGRADING;
        hubClosed = false;
        kind = null;
        super.onConnected();
    }

    @Override
    protected void onUpgraded() throws IOException {
        FuzzFrames.Script script = scripts.next();
        kind = script.kind();
        tally.scripts++;
        tally.frames += script.frames();
        tally.bytes += script.bytes().length;
        phase = Phase.SENT;
        write(ByteBuffer.wrap(script.bytes()));
        schedule(System.nanoTime() + VERDICT_NANOS);
    }

    @Override
    protected void onFrame(int opcode, byte[] a, int offset, int length) throws IOException {
        if (opcode == WsCodec.OP_TEXT && startsWith(a, offset, length, "{\"type\":\"error\"")) {
            int c = Conn.indexOf(a, offset, offset + length, CODE);
            if (c >= 0) {
                int from = c + CODE.length;
                int to = Conn.indexOf(a, from, offset + length, new byte[]{'"'});
                tally.errors.merge(new String(a, from, Math.max(0, to - from), StandardCharsets.US_ASCII), 1, Integer::sum);
            }
        }
        if (hubClosed) {
            tally.outcome(kind, "a frame after its close frame");
            return;
        }
        if (opcode != WsCodec.OP_CLOSE) {
            return;
        }
        hubClosed = true;
        tally.closeCodes.merge(closeCode, 1, Integer::sum);
        if (phase == Phase.CLOSE_SENT && closeCode == 1000) {
            tally.outcome(kind, "took it (answered our close)");
        } else if (phase == Phase.CLOSE_SENT) {
            tally.outcome(kind, "close " + closeCode + ", after our close (over 0.5 s)");
        } else {
            tally.outcome(kind == null ? "(before the script)" : kind, "close " + closeCode);
        }
        if (phase == Phase.SENT && random.nextInt(8) == 0) {
            phase = Phase.DEAF;
            schedule(System.nanoTime() + DEAF_NANOS);
            return;
        }
        if (phase != Phase.CLOSE_SENT) {
            write(WsCodec.close(sendable(closeCode) ? closeCode : 1000));
        }
        phase = Phase.CLOSING;
        schedule(System.nanoTime() + CLOSING_NANOS);
    }

    @Override
    protected void onTimer() throws IOException {
        switch (phase) {
            case SENT -> {
                // the hub took every frame: close, and expect its answer
                phase = Phase.CLOSE_SENT;
                write(WsCodec.close(1000));
                schedule(System.nanoTime() + ANSWER_NANOS);
                return;
            }
            case CLOSING -> tally.socketKeptAfterClose++;
            case DEAF -> tally.deaf.computeIfAbsent(closeCode, c -> new long[2])[1]++;
            default -> {
                tally.unanswered++;
                tally.outcome(kind, "no close frame within 3 s");
            }
        }
        closeSocket(phase != Phase.CLOSING);
        reopen(0);
    }

    @Override
    protected void onClosed(boolean reset) {
        if (phase == Phase.DEAF) {
            tally.deaf.computeIfAbsent(closeCode, c -> new long[2])[0]++;
        } else if (!hubClosed) {
            tally.outcome(kind, "socket ended without a close frame");
        }
        reopen(0);
    }

    /** RFC 6455 7.4: the codes an endpoint may send. */
    private static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1011 || code >= 3000 && code <= 4999;
    }
}

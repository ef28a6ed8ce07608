package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hostile and broken clients, all at once (SPEC 15, issue 15): silent sockets, slowloris request
 * heads, WebSocket clients that drop without a close, SSE and WebSocket readers that stop reading,
 * and a frame fuzzer — while a bystander, one well-behaved WebSocket client, receives a numbered
 * event stream published at a steady rate. Passes when the bystander misses nothing, {@code /health}
 * stays ready, the hub's RSS levels off, the fuzzer sent its frames and saw nothing but WebSocket
 * frames after a {@code 101}, and the hub logged no stack trace.
 */
final class Abuse {
    /** What one run is made of; every bound is explicit. */
    record Spec(String host, int port, long hubPid, Path hubLog, Path gcLog, Path samplesCsv, double seconds, int silent, int burst,
                double burstSeconds, int slowloris, double slowlorisIntervalMs, int drops, int stalledSse, int stalledWs,
                double stallHoldSeconds, double ballastRate, int ballastBytes, long fuzzFrames, int fuzzers, long seed, String room,
                double rate, int payloadBytes, double handshakeTimeoutSeconds) {

        int attackSockets() {
            return silent + burst + slowloris + drops + stalledSse + stalledWs + fuzzers;
        }

        /** The room whose large events only the stalled readers get: they fill a stalled reader's kernel buffers. */
        String ballastRoom() {
            return room + "-ballast";
        }

        /** The burst of silent sockets starts this far into the run (in the first third: it must not lift the middle third's RSS). */
        double burstFromSeconds() {
            return seconds * 0.15;
        }
    }

    /** What one run measured. */
    record Result(Spec spec, long published, long publishRetries, long publisherConnections, Conn bystander, int bystanderClosed,
                  Histogram bystanderLatency, List<HubMonitor.Sample> samples, long monitorFailures, String monitorFailure,
                  HeadlessTally silent, HeadlessTally burst, HeadlessTally slowloris, DropClient.Tally drops, StallTally stalledSse,
                  StallTally stalledWs, FrameFuzzer.Tally fuzz, WsAttacker.WireCheck wire, long connectFailures,
                  String connectFailure, double attackCpuShare, HubLog log, HubGc gc, long liveHeapBeforeKiB,
                  long liveHeapAfterKiB) {

        long received() {
            return bystander.received;
        }

        long missing() {
            return Math.max(0, published - bystander.nextSeq);
        }

        boolean bystanderOk() {
            return bystanderClosed == 0 && missing() == 0 && bystander.gaps == 0 && bystander.outOfOrder == 0
                    && received() == published && published > 0;
        }

        List<HubMonitor.Sample> during() {
            return samples.stream().filter(s -> s.seconds() > 0.5 && s.seconds() <= spec.seconds() + 0.5).toList();
        }

        long healthReady() {
            return samples.stream().filter(HubMonitor.Sample::ready).count();
        }

        long freshReady() {
            return samples.stream().filter(HubMonitor.Sample::freshReady).count();
        }

        boolean healthOk() {
            return healthReady() == samples.size() && samples.size() >= spec.seconds() - 1;
        }

        /** RSS (KiB) of the sample nearest to {@code t} seconds into the attack; -1 if the run was shorter. */
        long rssAt(double t) {
            if (t > spec.seconds() + 0.5) {
                return -1;
            }
            return samples.stream().min((a, b) -> Double.compare(Math.abs(a.seconds() - t), Math.abs(b.seconds() - t)))
                    .map(HubMonitor.Sample::rssKiB).orElse(-1L);
        }

        long rssEnd() {
            List<HubMonitor.Sample> d = during();
            return d.isEmpty() ? -1 : d.getLast().rssKiB();
        }

        long rssMax() {
            return during().stream().mapToLong(HubMonitor.Sample::rssKiB).max().orElse(-1);
        }

        /** Largest RSS in the second and last thirds of the attack. */
        long[] rssThirds() {
            double third = spec.seconds() / 3;
            long middle = during().stream().filter(s -> s.seconds() > third && s.seconds() <= 2 * third)
                    .mapToLong(HubMonitor.Sample::rssKiB).max().orElse(-1);
            long last = during().stream().filter(s -> s.seconds() > 2 * third).mapToLong(HubMonitor.Sample::rssKiB).max().orElse(-1);
            return new long[]{middle, last};
        }

        /** Levelled off: the last third's largest RSS within 10 % of the middle third's. */
        boolean rssLevelled() {
            long[] t = rssThirds();
            return t[0] > 0 && t[1] > 0 && t[1] <= t[0] * 1.10;
        }

        long stat(java.util.function.ToLongFunction<HubMonitor.Sample> field) {
            return samples.stream().mapToLong(field).max().orElse(-1);
        }

        boolean fuzzOk() {
            return fuzz.frames >= spec.fuzzFrames();
        }

        boolean wireOk() {
            return wire.notFrames == 0;
        }

        boolean logOk() {
            return log == null || log.clean();
        }

        List<String> failures() {
            List<String> failed = new ArrayList<>();
            if (!bystanderOk()) {
                failed.add("the bystander missed events or was closed");
            }
            if (!healthOk()) {
                failed.add("/health was not ready in every sample");
            }
            if (!rssLevelled()) {
                failed.add("the hub's RSS did not level off");
            }
            if (!fuzzOk()) {
                failed.add("fewer frames fuzzed than --fuzz-frames");
            }
            if (!wireOk()) {
                failed.add("bytes other than WebSocket frames after a 101");
            }
            if (!logOk()) {
                failed.add("stack traces or exceptions in the hub log");
            }
            return failed;
        }

        static String csvHeader() {
            return "seconds,published,received,gaps,out_of_order,missing,bystander_closed,bystander_p99_ms,health_ready,health_total,"
                    + "fresh_ready,rss10_mib,rss30_mib,rss_end_mib,rss_max_mib,rss_levelled,live_heap_before_mib,live_heap_after_mib,fuzz_frames,fuzz_scripts,close_1000,"
                    + "close_1002,close_1007,close_1009,close_other,unanswered,not_frames,frames_after_close,sockets_refused,"
                    + "handshake_timeouts,silent_closed_p50_s,stalled_cut,stalled_not_cut,stalled_left_open,deaf_left_open,drops,stack_traces,"
                    + "exception_lines,pass";
        }

        String csvRow() {
            Map<Integer, Integer> codes = fuzz.closeCodes;
            int other = codes.entrySet().stream().filter(e -> !List.of(1000, 1002, 1007, 1009).contains(e.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
            return String.format(Locale.ROOT, "%.0f,%d,%d,%d,%d,%d,%d,%.1f,%d,%d,%d,%.0f,%.0f,%.0f,%.0f,%d,%.0f,%.0f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%d,%d,%d,%d,%d,%d,%d,%d",
                    spec.seconds(), published, received(), bystander.gaps, bystander.outOfOrder, missing(), bystanderClosed,
                    ms(bystanderLatency, 99), healthReady(), samples.size(), freshReady(), mib(rssAt(10)), mib(rssAt(30)),
                    mib(rssEnd()), mib(rssMax()), rssLevelled() ? 1 : 0, mib(liveHeapBeforeKiB), mib(liveHeapAfterKiB), fuzz.frames, fuzz.scripts, codes.getOrDefault(1000, 0),
                    codes.getOrDefault(1002, 0), codes.getOrDefault(1007, 0), codes.getOrDefault(1009, 0), other, fuzz.unanswered,
                    wire.notFrames, wire.afterClose, stat(HubMonitor.Sample::socketsRefused),
                    stat(HubMonitor.Sample::handshakeTimeouts), seconds(silent.closedAfterMillis, 50),
                    stalledSse.cut + stalledWs.cut, stalledSse.notCut + stalledWs.notCut, stalledSse.leftOpen + stalledWs.leftOpen,
                    deafLeftOpen(),
                    drops.droppedBeforeUpgrade + drops.droppedBeforeJoin + drops.droppedJoined,
                    log == null ? -1 : log.stackTraces(), log == null ? -1 : log.exceptionLines(), failures().isEmpty() ? 1 : 0);
        }

        void print() {
            String w = "%-16s ";
            System.out.printf(Locale.ROOT, w + "%.0f s against %s:%d; the hub's request-head timeout %.0f s%n", "abuse", spec.seconds(),
                    spec.host(), spec.port(), spec.handshakeTimeoutSeconds());
            System.out.printf(Locale.ROOT, w + "%,d silent sockets (and %,d more from %.0f s to %.0f s), %,d slowloris (a byte every "
                            + "%.0f ms), %,d drop-without-close, %,d stalled SSE and %,d stalled WebSocket readers (%.0f s without reading; "
                            + "they get %s too: %.0f events/s of %,d B), %d fuzzing connections%n",
                    "attack", spec.silent(), spec.burst(), spec.burstFromSeconds(), spec.burstFromSeconds() + spec.burstSeconds(),
                    spec.slowloris(), spec.slowlorisIntervalMs(), spec.drops(), spec.stalledSse(), spec.stalledWs(),
                    spec.stallHoldSeconds(), spec.ballastRoom(), spec.ballastRate(), spec.ballastBytes(), spec.fuzzers());
            System.out.printf(Locale.ROOT, w + "1 WebSocket client of %s; %.0f events/s of %d B published over HTTP%n", "bystander",
                    spec.room(), spec.rate(), spec.payloadBytes());
            System.out.println();
            System.out.printf(Locale.ROOT, "%-26s %-86s %s%n", "acceptance", "measured", "");
            row("bystander", String.format(Locale.ROOT, "%,d of %,d events, %d gaps, %d out of order, %d missing, %s",
                    received(), published, bystander.gaps, bystander.outOfOrder, missing(),
                    bystanderClosed == 0 ? "never closed" : "CLOSED with " + bystander.earlyCloseCode), bystanderOk());
            row("/health (kept-alive)", String.format(Locale.ROOT, "%d of %d samples ready (one a second)", healthReady(),
                    samples.size()), healthOk());
            long[] thirds = rssThirds();
            row("hub RSS", String.format(Locale.ROOT, "10 s %s, 30 s %s, end %s, max %s MiB; max of the middle third %s, of the last %s (%+.1f %%)",
                    mibText(rssAt(10)), mibText(rssAt(30)), mibText(rssEnd()), mibText(rssMax()), mibText(thirds[0]),
                    mibText(thirds[1]), thirds[0] > 0 ? 100.0 * (thirds[1] - thirds[0]) / thirds[0] : Double.NaN), rssLevelled());
            if (gc != null) {
                double third = spec.seconds() / 3;
                System.out.printf(Locale.ROOT, "%-26s %s%n", "  heap (GC log)", String.format(Locale.ROOT,
                        "after collections: middle third %s-%s, last third %s-%s MiB; committed %s MiB at the end; %d pauses, longest %.0f ms",
                        text(gc.minAfter(third, 2 * third)), text(gc.maxAfter(third, 2 * third)),
                        text(gc.minAfter(2 * third, spec.seconds())), text(gc.maxAfter(2 * third, spec.seconds())),
                        text(gc.committedAt(spec.seconds())), gc.count(0, spec.seconds()), gc.longestMillis(0, spec.seconds())));
            }
            info("  live heap (full GC)", String.format(Locale.ROOT, "before the attack %s MiB, 3 s after it %s MiB (jcmd GC.run, "
                    + "then GC.heap_info)", mibText(liveHeapBeforeKiB), mibText(liveHeapAfterKiB)));
            row("frames fuzzed", String.format(Locale.ROOT, "%,d in %,d connections (at least %,d)", fuzz.frames, fuzz.scripts,
                    spec.fuzzFrames()), fuzzOk());
            info("close codes (fuzzer)", codes(fuzz.closeCodes) + String.format(Locale.ROOT, "; %d scripts without a close frame in 3 s",
                    fuzz.unanswered));
            row("after a 101", String.format(Locale.ROOT, "%,d upgraded connections read strictly: %d with anything but frames%s",
                    wire.upgraded, wire.notFrames, wire.firstNotFrames == null ? "" : " (first: " + wire.firstNotFrames + ")"), wireOk());
            info("  frames after close", String.format(Locale.ROOT, "%,d frames after the hub's close frame, on %,d connections",
                    wire.afterClose, wire.connectionsWithFramesAfterClose));
            info("  left open after close", String.format(Locale.ROOT, "%,d sockets the hub still held 3 s after its close frame, "
                    + "which the client never answered (%,d fuzzers, %,d stalled WebSocket readers)",
                    deafLeftOpen() + stalledWs.leftOpen, deafLeftOpen(), stalledWs.leftOpen));
            info("sockets (stats)", String.format(Locale.ROOT, "refused %,d, request-head timeouts %,d; open at most %,d",
                    stat(HubMonitor.Sample::socketsRefused), stat(HubMonitor.Sample::handshakeTimeouts),
                    stat(HubMonitor.Sample::socketsOpen)));
            row("hub log", log == null ? "not read (no --hub-log)" : String.format(Locale.ROOT,
                    "%d stack traces (%d 'at' lines), %d exception lines at WARNING/SEVERE or thrown", log.stackTraces(),
                    log.traceLines(), log.exceptionLines()), logOk());
            System.out.println();

            System.out.printf(Locale.ROOT, w + "latency p50 %.1f, p99 %.1f, max %.1f ms (scheduled send -> receipt); %,d POSTs retried "
                            + "(same Idempotency-Key), %d publisher connection(s)%n", "bystander", ms(bystanderLatency, 50),
                    ms(bystanderLatency, 99), bystanderLatency.getTotalCount() == 0 ? Double.NaN : bystanderLatency.getMaxValue() / 1000.0,
                    publishRetries, publisherConnections);
            headless("silent sockets", silent);
            if (spec.burst() > 0) {
                headless("silent burst", burst);
            }
            headless("slowloris", slowloris);
            System.out.printf(Locale.ROOT, w + "%,d bytes trickled, %d heads completed, %,d went away in the middle of their headers%n",
                    "", slowloris.bytesSent, slowloris.completed, slowloris.gaveUp);
            System.out.printf(Locale.ROOT, w + "%s, %,d joined; dropped %,d before the 101, "
                            + "%,d before joining, %,d joined (%,d with an RST, the rest a FIN); %,d events read; ended by the hub first: %s%n",
                    "drop-no-close", drops.openings, drops.joined, drops.droppedBeforeUpgrade,
                    drops.droppedBeforeJoin, drops.droppedJoined, drops.resets, drops.events, codes(drops.endedByHub));
            stalled("stalled SSE", stalledSse);
            stalled("stalled WS", stalledWs);
            System.out.printf(Locale.ROOT, w + "%s, %,d scripts, %,d frames, %,d bytes%n",
                    "fuzzer", fuzz.openings, fuzz.scripts, fuzz.frames, fuzz.bytes);
            System.out.printf(Locale.ROOT, w + "socket kept 1 s after a close handshake the fuzzer completed: %d%n", "",
                    fuzz.socketKeptAfterClose);
            StringBuilder deaf = new StringBuilder();
            fuzz.deaf.forEach((code, n) -> deaf.append(deaf.isEmpty() ? "" : ", ").append(code).append(": ").append(n[0])
                    .append(" closed, ").append(n[1]).append(" still open"));
            System.out.printf(Locale.ROOT, w + "the hub's close frame left unanswered (1 in 8): socket closed by the hub within 3 s / "
                    + "still open, by close code {%s}%n", "", deaf);
            System.out.printf(Locale.ROOT, w + "error messages from the hub %s%n", "", fuzz.errors);
            System.out.printf(Locale.ROOT, "%-16s %-40s %s%n", "fuzzer by kind", "hostile frame at the end of the script", "what the hub did (scripts)");
            fuzz.outcomes.forEach((kind, what) -> System.out.printf(Locale.ROOT, "%-16s %-40s %s%n", "", kind, what));
            System.out.printf(Locale.ROOT, w + "connections at most %,d (SSE %,d), messages dropped for slow consumers %,d "
                            + "(GET /api/v1/stats)%n", "hub counters", stat(HubMonitor.Sample::connections),
                    stat(HubMonitor.Sample::sse), stat(HubMonitor.Sample::dropped));
            System.out.printf(Locale.ROOT, w + "%d of %d ready on a fresh connection each second (the socket cap refuses a new socket "
                    + "whoever opens it); kept-alive requests failed: %d%s%n", "/health (fresh)", freshReady(), samples.size(),
                    monitorFailures, monitorFailure == null ? "" : " (" + monitorFailure + ")");
            if (log != null) {
                System.out.printf(Locale.ROOT, w + "%,d lines, %d WARNING, %d SEVERE, %,d protocol-error lines (at most one a second); "
                        + "connections closed by code %s%n", "hub log", log.lines(), log.warnings(), log.severe(),
                        log.protocolErrorLines(), codes(log.closesByCode()));
                log.excerpt().forEach(line -> System.out.printf(Locale.ROOT, w + "%s%n", "  excerpt", line));
            }
            if (connectFailures > 0) {
                System.out.printf(Locale.ROOT, w + "%,d sockets could not be opened or connected (first: %s)%n", "generator",
                        connectFailures, connectFailure);
            }
            System.out.printf(Locale.ROOT, w + "the attack's selector thread was busy %.0f %% of the run%n", "generator",
                    attackCpuShare * 100);
            System.out.println();
            List<String> failed = failures();
            System.out.println(failed.isEmpty() ? "RESULT: PASS (every acceptance criterion met)" : "RESULT: FAIL: " + String.join("; ", failed));
        }

        private static void row(String what, String measured, boolean ok) {
            System.out.printf(Locale.ROOT, "%-26s %-86s %s%n", what, measured, ok ? "ok" : "FAILED");
        }

        /** A row that is measured, not judged. */
        private static void info(String what, String measured) {
            System.out.printf(Locale.ROOT, "%-26s %s%n", what, measured);
        }

        private long deafLeftOpen() {
            return fuzz.deaf.values().stream().mapToLong(n -> n[1]).sum();
        }

        private void headless(String what, HeadlessTally t) {
            System.out.printf(Locale.ROOT, "%-16s %,d connected: %,d refused at once, %,d closed by the hub after p50 %.1f s, max %.1f s "
                            + "(timeout %.0f s); %d answered with bytes; %,d open at the end%n", what, t.connected, t.refused,
                    t.closedByHub, seconds(t.closedAfterMillis, 50), t.closedAfterMillis.getTotalCount() == 0 ? Double.NaN
                            : t.closedAfterMillis.getMaxValue() / 1000.0, spec.handshakeTimeoutSeconds(), t.answered, t.openAtEnd);
        }

        private static void stalled(String what, StallTally t) {
            System.out.printf(Locale.ROOT, "%-16s %s, %,d subscribed and stalled; "
                            + "ended by the hub %,d %s (of which the socket still open 3 s after its close frame: %,d), "
                            + "not ended when read again %,d%n", what, t.openings, t.subscribed, t.cut, t.cutHow, t.leftOpen, t.notCut);
        }

        private static String codes(Map<Integer, Integer> codes) {
            StringBuilder s = new StringBuilder("{");
            codes.forEach((code, n) -> s.append(s.length() > 1 ? ", " : "").append(code == -1 ? "none" : code).append(": ").append(n));
            return s.append('}').toString();
        }

        private static double ms(Histogram h, double p) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
        }

        private static double seconds(Histogram h, double p) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
        }

        private static double mib(long kib) {
            return kib < 0 ? Double.NaN : kib / 1024.0;
        }

        private static String text(long value) {
            return value < 0 ? "-" : Long.toString(value);
        }

        private static String mibText(long kib) {
            return kib < 0 ? "-" : String.format(Locale.ROOT, "%.0f", kib / 1024.0);
        }
    }

    private Abuse() {
    }

    static Result run(Spec spec) throws IOException, InterruptedException {
        String base = "http://" + spec.host() + ":" + spec.port();
        // The bystander, the publisher and the monitor connect before the attack, as clients already there would.
        ClientLoop.Shared shared = new ClientLoop.Shared();
        ClientLoop bystander = new ClientLoop(new Target(Target.Transport.WS, spec.host(), spec.port(), spec.room(), false), 1,
                List.of(), shared).start("bystander");
        Fanout.awaitConnected(shared, 1, 30);
        if (shared.ready.get() != 1) {
            bystander.stop();
            throw new IllegalStateException("the bystander could not join " + spec.room() + ": " + shared.notesSnapshot());
        }
        long count = Math.max(1, Math.round(spec.rate() * spec.seconds()));
        String run = Long.toString(System.currentTimeMillis(), 36);
        Publisher publisher = new Publisher(URI.create(base + "/api/v1/events"), spec.room(), spec.rate(), count,
                spec.payloadBytes(), 1000).retrying("abuse-" + run).connect();
        Publisher ballast = spec.ballastRate() <= 0 ? null : new Publisher(URI.create(base + "/api/v1/events"), spec.ballastRoom(),
                spec.ballastRate(), Math.max(1, Math.round(spec.ballastRate() * spec.seconds())), spec.ballastBytes(), 10)
                .retrying("ballast-" + run).connect();
        long heapBefore = liveHeapKiB(spec.hubPid());
        long t0 = System.nanoTime() + 200_000_000L;
        HubMonitor monitor = new HubMonitor(spec.host(), spec.port(), spec.hubPid(), shared.deliveries::sum).connect(t0);

        long refusedWithin = (long) (spec.handshakeTimeoutSeconds() * 1e9 / 2);
        HeadlessTally silent = new HeadlessTally(refusedWithin);
        HeadlessTally burst = new HeadlessTally(refusedWithin);
        HeadlessTally slowloris = new HeadlessTally(refusedWithin);
        DropClient.Tally drops = new DropClient.Tally();
        StallTally stalledSse = new StallTally();
        StallTally stalledWs = new StallTally();
        FrameFuzzer.Tally fuzz = new FrameFuzzer.Tally();
        WsAttacker.WireCheck wire = new WsAttacker.WireCheck();
        AttackLoop loop = new AttackLoop(new InetSocketAddress(spec.host(), spec.port()), () -> {
            HubMonitor.Sample s = monitor.last();
            System.err.printf(Locale.ROOT, "  %3.0f s: bystander %,d events; fuzzed %,d frames; closed by the hub: silent %,d, slowloris %,d;"
                            + " hub: sockets %,d open, %,d refused, %,d head timeouts, %,d connections, RSS %.0f MiB, health %s%n",
                    (System.nanoTime() - t0) / 1e9, shared.deliveries.sum(), fuzz.frames, silent.closedByHub, slowloris.closedByHub,
                    s.socketsOpen(), s.socketsRefused(), s.handshakeTimeouts(), s.connections(), s.rssKiB() / 1024.0,
                    s.ready() ? "ready" : "NOT READY (" + s.health() + ")");
        });
        long spread = 2_000_000_000L;
        for (int i = 0; i < spec.silent(); i++) {
            loop.add(new SilentSocket(loop, silent, Long.MAX_VALUE), t0, spread);
        }
        long burstFrom = t0 + (long) (spec.burstFromSeconds() * 1e9);
        for (int i = 0; i < spec.burst(); i++) {
            loop.add(new SilentSocket(loop, burst, burstFrom + (long) (spec.burstSeconds() * 1e9)), burstFrom, 500_000_000L);
        }
        long interval = (long) (spec.slowlorisIntervalMs() * 1e6);
        for (int i = 0; i < spec.slowloris(); i++) {
            loop.add(new Slowloris(loop, slowloris, interval, i), t0, spread);
        }
        for (int i = 0; i < spec.drops(); i++) {
            loop.add(new DropClient(loop, wire, drops, spec.room(), 0.5, 5.0), t0, spread);
        }
        for (int i = 0; i < spec.stalledSse(); i++) {
            loop.add(new StalledStream(loop, stalledSse, spec.room(), spec.ballastRoom(), spec.stallHoldSeconds()), t0, spread);
        }
        for (int i = 0; i < spec.stalledWs(); i++) {
            loop.add(new StalledWebSocket(loop, wire, stalledWs, spec.room(), spec.ballastRoom(), spec.stallHoldSeconds()), t0, spread);
        }
        FuzzFrames scripts = new FuzzFrames(spec.seed());
        FrameFuzzer.Pace pace = new FrameFuzzer.Pace(spec.fuzzFrames(), t0, spec.seconds(), 0.85);
        for (int i = 0; i < spec.fuzzers(); i++) {
            loop.add(new FrameFuzzer(loop, wire, fuzz, scripts, pace), t0, 0);
        }

        Thread publishing = publisher.start(t0);
        Thread ballasting = ballast == null ? null : ballast.start(t0);
        monitor.start();
        loop.start();
        long end = t0 + (long) (spec.seconds() * 1e9);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)));
        }
        loop.stop();
        publisher.stop();
        publishing.join(30_000);
        if (ballast != null) {
            ballast.stop();
            ballasting.join(30_000);
        }
        long drainUntil = System.nanoTime() + 10_000_000_000L;
        while (shared.deliveries.sum() < publisher.published && System.nanoTime() < drainUntil) {
            Thread.sleep(20);
        }
        // A few more samples: the hub letting go of the attack's sockets.
        long after = end + 3_000_000_000L;
        while (System.nanoTime() < after) {
            Thread.sleep(50);
        }
        monitor.stop();
        bystander.stop();
        long heapAfter = liveHeapKiB(spec.hubPid());
        Conn conn = bystander.conns().getFirst();
        List<HubMonitor.Sample> samples = monitor.samples();
        if (spec.samplesCsv() != null) {
            writeSamples(spec.samplesCsv(), samples);
        }
        HubLog log = spec.hubLog() == null ? null : HubLog.read(spec.hubLog());
        HubGc gc = spec.gcLog() == null || !Files.exists(spec.gcLog()) ? null : HubGc.read(spec.gcLog(), hubUptimeAt(spec.hubPid(), t0));
        double attackSeconds = (System.nanoTime() - t0) / 1e9;
        return new Result(spec, publisher.published, publisher.failedPosts, publisher.connections(), conn,
                shared.closedAfterReady.get(), bystander.latency(), samples, monitor.failures, monitor.firstFailure, silent,
                burst, slowloris, drops, stalledSse, stalledWs, fuzz, wire, loop.connectFailures, loop.firstConnectFailure,
                loop.cpuNanos / 1e9 / attackSeconds, log, gc, heapBefore, heapAfter);
    }

    private static final java.util.regex.Pattern HEAP_USED = java.util.regex.Pattern.compile("used (\\d+)K");

    /** The hub's heap in use after a full collection (jcmd GC.run, then GC.heap_info), in KiB; -1 if unknown. */
    private static long liveHeapKiB(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            Fanout.jcmd(pid, "GC.run");
            java.util.regex.Matcher used = HEAP_USED.matcher(Fanout.jcmd(pid, "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The hub JVM's uptime in seconds at {@code nanos} (a {@link System#nanoTime()}), from its process start; 0 if unknown. */
    private static double hubUptimeAt(long pid, long nanos) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                .map(start -> (java.time.Duration.between(start, java.time.Instant.now()).toNanos() - (System.nanoTime() - nanos)) / 1e9)
                .orElse(0.0);
    }

    private static void writeSamples(Path csv, List<HubMonitor.Sample> samples) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("seconds,rss_mib,health,ready,fresh_ready,sockets_open,sockets_refused,handshake_timeouts,connections,websocket,sse,"
                + "dropped,bystander_events");
        for (HubMonitor.Sample s : samples) {
            lines.add(String.format(Locale.ROOT, "%.1f,%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d", s.seconds(), s.rssKiB() / 1024.0,
                    s.health(), s.ready() ? 1 : 0, s.freshReady() ? 1 : 0, s.socketsOpen(), s.socketsRefused(),
                    s.handshakeTimeouts(), s.connections(), s.websocket(), s.sse(), s.dropped(), s.bystanderEvents()));
        }
        Files.write(csv, lines);
    }
}

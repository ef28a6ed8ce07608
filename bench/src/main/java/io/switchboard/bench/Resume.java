package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resume storm (SPEC 12): {@code clients} connections join {@code rooms} rooms and see
 * {@code before} events each, so every client knows a position (the last id it saw); then all of
 * them close, {@code missed} more events are published to every room, and all reconnect at once and
 * {@code join} with {@code since} = their last id (over SSE, Switchboard's or Nchan's: with
 * {@code Last-Event-ID} = the last {@code id:} line). Measured from the first reconnect: when each
 * client has every missed event (in order, no gap, no duplicate, {@code joined} saying
 * {@code recovered: true}), and the close codes and errors on the way.
 */
final class Resume {
    /** What one run is made of; every bound is explicit. */
    record Spec(Target target, URI publishBase, URI statsUri, int clients, int rooms, int before, int missed, int payloadBytes,
                int threads, int maxOpening, double connectSeconds, double timeoutSeconds, long hubPid, Path jfr) {

        String room(int client) {
            return target.room() + "-" + (client % rooms);
        }
    }

    /** What one run measured; times in nanoseconds from the first reconnect. */
    record Result(Spec spec, int connectedBefore, int positioned, double closeSeconds, int reconnected, int failed,
                  int closedEarly, int caughtUp, Histogram connectMicros, Histogram caughtUpMicros, long allCaughtUpNanos,
                  int recoveredTrue, int recoveredFalse, int recoveredAbsent, long gaps, long duplicates, long missing,
                  long eventsBeforeJoined, Map<String, Integer> earlyCloses, Map<String, Integer> notes, String firstJoined,
                  double hubCpuSeconds, long hubPeakRssKiB, double generatorCpuShare, String loadBefore, String loadAfter) {

        /** Every client has every missed event, in order; Switchboard's also said {@code recovered: true} (peers have no such answer). */
        boolean allCaughtUp() {
            return caughtUp == positioned && positioned > 0 && gaps == 0 && duplicates == 0 && missing == 0
                    && (recoveredTrue == positioned || !spec.target().transport().isSwitchboard());
        }

        private static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
        }

        private static double minMs(Histogram h) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getMinValue() / 1000.0;
        }

        private static double maxMs(Histogram h) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
        }

        double allCaughtUpSeconds() {
            return allCaughtUpNanos > 0 ? allCaughtUpNanos / 1e9 : Double.NaN;
        }

        static String csvHeader() {
            return "scenario,clients,rooms,missed,reconnected,caught_up,all_caught_up_s,first_ms,p50_ms,p99_ms,last_ms,"
                    + "connect_p50_ms,connect_p99_ms,recovered_true,gaps,duplicates,missing,failed,closed_early,"
                    + "hub_cpu_s,load1";
        }

        String csvRow() {
            return String.format(Locale.ROOT, "resume,%d,%d,%d,%d,%d,%.3f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%d,%d,%d,%.2f,%s",
                    spec.clients(), spec.rooms(), spec.missed(), reconnected, caughtUp, allCaughtUpSeconds(),
                    minMs(caughtUpMicros), ms(caughtUpMicros, 50), ms(caughtUpMicros, 99), maxMs(caughtUpMicros),
                    ms(connectMicros, 50), ms(connectMicros, 99), recoveredTrue, gaps, duplicates, missing, failed,
                    closedEarly, hubCpuSeconds, loadBefore.split(" ")[0]);
        }

        void print() {
            System.out.printf(Locale.ROOT, "%-14s %d clients in %d room(s) (%s-0..), %d events seen before, %d missed each%n",
                    "resume storm", spec.clients(), spec.rooms(), spec.target().room(), spec.before(), spec.missed());
            System.out.printf(Locale.ROOT, "%-14s %d connected, %d with a position (saw all %d events); %s %.1f s after they closed%n",
                    "before", connectedBefore, positioned, spec.before(), spec.target().transport().isSwitchboard()
                            ? "the hub counted 0 connections" : "missed events published (a peer has no connection count)", closeSeconds);
            System.out.printf(Locale.ROOT, "%-14s %d of %d joined again (%d failed, %d closed before the end); joined: recovered true %d, false %d, absent %d%n",
                    "reconnect", reconnected, positioned, failed, closedEarly, recoveredTrue, recoveredFalse, recoveredAbsent);
            System.out.printf(Locale.ROOT, "%-14s p50 %.1f  p99 %.1f  max %.1f ms (first reconnect -> joined)%n", "joined",
                    ms(connectMicros, 50), ms(connectMicros, 99), maxMs(connectMicros));
            System.out.printf(Locale.ROOT, "%-14s %d of %d; first %.1f  p50 %.1f  p99 %.1f  last %.1f ms (first reconnect -> all %d missed events)%n",
                    "caught up", caughtUp, positioned, minMs(caughtUpMicros), ms(caughtUpMicros, 50), ms(caughtUpMicros, 99),
                    maxMs(caughtUpMicros), spec.missed());
            System.out.printf(Locale.ROOT, "%-14s %s%n", "all caught up",
                    allCaughtUp() ? String.format(Locale.ROOT, "yes, in %.2f s", allCaughtUpSeconds()) : "NO");
            System.out.printf(Locale.ROOT, "%-14s gaps %d, duplicates/out of order %d, missing at the end %d, events before joined %d%n",
                    "order", gaps, duplicates, missing, eventsBeforeJoined);
            if (!earlyCloses.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-14s %s%n", "close codes", earlyCloses);
            }
            if (hubCpuSeconds > 0) {
                System.out.printf(Locale.ROOT, "%-14s %.2f s of CPU during the storm; peak RSS %.0f MiB%n", "hub",
                        hubCpuSeconds, hubPeakRssKiB / 1024.0);
            }
            System.out.printf(Locale.ROOT, "%-14s selector threads busy %.0f%% of the storm%n", "generator", generatorCpuShare * 100);
            System.out.printf(Locale.ROOT, "%-14s load average before %s, after %s%n", "machine", loadBefore, loadAfter);
            if (firstJoined != null) {
                System.out.printf(Locale.ROOT, "%-14s %s%n", "a joined", firstJoined);
            }
            notes.forEach((text, n) -> System.out.printf(Locale.ROOT, "%-14s %dx %s%n", "note", n, text));
        }
    }

    private static final Pattern TOTAL = Pattern.compile("\"connections\"\\s*:\\s*\\{\\s*\"total\"\\s*:\\s*(\\d+)");

    private final Spec spec;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Resume(Spec spec) {
        this.spec = spec;
    }

    static Result run(Spec spec) throws IOException, InterruptedException {
        return new Resume(spec).run();
    }

    private Result run() throws IOException, InterruptedException {
        // 1. Connect and join; see `before` events so that every client knows a position.
        ClientLoop.Shared first = new ClientLoop.Shared();
        List<ClientLoop> loops = startLoops(first, spec.clients(), (conn, i) -> conn.track(spec.room(i)), ClientLoop.MAX_OPENING, "clients");
        List<Conn> positioned = new ArrayList<>();
        int connectedBefore;
        double closeSeconds;
        try {
            Fanout.awaitConnected(first, spec.clients(), spec.connectSeconds());
            connectedBefore = first.ready.get();
            if (connectedBefore == 0) {
                throw new IllegalStateException("no client could connect: " + first.notesSnapshot());
            }
            publish(0, spec.before());
            awaitDeliveries(first, (long) connectedBefore * spec.before(), 30);
        } finally {
            stopAll(loops);
        }
        for (ClientLoop loop : loops) {
            for (Conn conn : loop.conns()) {
                if (conn.isReady() && conn.lastId != null && conn.nextSeq == spec.before() && conn.gaps == 0 && conn.outOfOrder == 0) {
                    positioned.add(conn);
                }
            }
        }
        // 2. All of them are gone (closed with 1000); the hub has let go of every one.
        long closed = System.nanoTime();
        if (spec.target().transport().isSwitchboard()) {
            awaitHubConnections(0, 60);
        } else {
            Thread.sleep(1000); // a peer has no connection count to wait for: a second to take the closes in
        }
        closeSeconds = (System.nanoTime() - closed) / 1e9;

        // 3. Events they miss.
        publish(spec.before(), spec.missed());

        // 4. The storm: every client at once, join with since.
        ClientLoop.Shared second = new ClientLoop.Shared();
        String loadBefore = loadAverage();
        if (spec.jfr() != null) {
            Fanout.jcmd(spec.hubPid(), "JFR.start", "name=resume", "settings=profile", "filename=" + spec.jfr().toAbsolutePath());
        }
        long hubTicks0 = Fanout.hubCpuTicks(spec.hubPid());
        long until = spec.before() + spec.missed();
        long t0 = System.nanoTime();
        List<ClientLoop> storm = startLoops(second, positioned.size(), (conn, i) -> {
            Conn old = positioned.get(i);
            conn.expect(old.room(), old.lastId, old.nextSeq, until);
        }, spec.maxOpening(), "storm");
        long deadline = t0 + (long) (spec.timeoutSeconds() * 1e9);
        long nextReport = t0 + 2_000_000_000L;
        while (second.caughtUp.get() + second.failed.get() + second.closedAfterReady.get() < positioned.size()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
            if (System.nanoTime() > nextReport) {
                System.err.printf(Locale.ROOT, "  storm: %d joined, %d caught up, %d failed of %d%n",
                        second.ready.get(), second.caughtUp.get(), second.failed.get(), positioned.size());
                nextReport += 2_000_000_000L;
            }
        }
        long hubTicks1 = Fanout.hubCpuTicks(spec.hubPid());
        if (spec.jfr() != null) {
            Fanout.jcmd(spec.hubPid(), "JFR.stop", "name=resume");
        }
        String loadAfter = loadAverage();
        long stormNanos = System.nanoTime() - t0;
        stopAll(storm);

        Histogram connect = new Histogram(ClientLoop.HIGHEST_LATENCY_MICROS, 3);
        Histogram caught = new Histogram(ClientLoop.HIGHEST_LATENCY_MICROS, 3);
        long last = 0;
        int reconnected = 0;
        int caughtUp = 0;
        int[] recovered = new int[3];
        long gaps = 0;
        long duplicates = 0;
        long missing = 0;
        long beforeJoined = 0;
        String firstJoined = null;
        Map<String, Integer> closes = new TreeMap<>();
        for (ClientLoop loop : storm) {
            for (Conn conn : loop.conns()) {
                if (conn.earlyCloseCode != 0) {
                    closes.merge(conn.earlyCloseCode == -1 ? "failed" : Integer.toString(conn.earlyCloseCode), 1, Integer::sum);
                }
                if (!conn.isReady()) {
                    missing += spec.missed();
                    continue;
                }
                reconnected++;
                firstJoined = firstJoined == null ? conn.joinedText : firstJoined;
                connect.recordValue(micros(conn.readyNanos - t0));
                recovered[conn.recovered + 1]++;
                gaps += conn.gaps;
                duplicates += conn.outOfOrder;
                beforeJoined += conn.eventsBeforeJoined;
                missing += Math.max(0, until - conn.nextSeq);
                if (conn.caughtUpNanos > 0) {
                    caughtUp++;
                    caught.recordValue(micros(conn.caughtUpNanos - t0));
                    last = Math.max(last, conn.caughtUpNanos - t0);
                }
            }
        }
        long cpu = storm.stream().mapToLong(l -> l.cpuNanos).sum();
        long[] rss = Fanout.hubRss(spec.hubPid());
        return new Result(spec, connectedBefore, positioned.size(), closeSeconds, reconnected, second.failed.get(),
                second.closedAfterReady.get(), caughtUp, connect, caught, caughtUp == positioned.size() ? last : 0,
                recovered[2], recovered[1], recovered[0], gaps, duplicates, missing, beforeJoined, closes,
                second.notesSnapshot(), firstJoined,
                hubTicks0 < 0 || hubTicks1 < 0 ? 0 : (hubTicks1 - hubTicks0) / 100.0, rss[1],
                cpu / (double) stormNanos / storm.size(), loadBefore, loadAfter);
    }

    private List<ClientLoop> startLoops(ClientLoop.Shared shared, int n, java.util.function.ObjIntConsumer<Conn> setup,
                                        int maxOpening, String name) throws IOException {
        List<ClientLoop> loops = new ArrayList<>();
        int offset = 0;
        for (int t = 0; t < spec.threads(); t++) {
            int share = n / spec.threads() + (t < n % spec.threads() ? 1 : 0);
            int from = offset;
            loops.add(new ClientLoop(spec.target(), share, List.of(), shared)
                    .configure((conn, i) -> setup.accept(conn, from + i), maxOpening).start(name + "-" + t));
            offset += share;
        }
        return loops;
    }

    private static void stopAll(List<ClientLoop> loops) throws InterruptedException {
        for (ClientLoop loop : loops) {
            loop.stop();
        }
    }

    /**
     * POSTs events {@code from} .. {@code from + count - 1} to every room, as atomic batches of up to 1,000 (Nchan:
     * one message per POST).
     */
    private void publish(long from, int count) throws IOException, InterruptedException {
        Target target = spec.target();
        int perPost = target.maxEventsPerPost(1000);
        for (int r = 0; r < spec.rooms(); r++) {
            String room = spec.room(r);
            for (long seq = from; seq < from + count; ) {
                StringBuilder body = new StringBuilder(perPost == 1 ? "" : "[");
                for (int n = 0; n < perPost && seq < from + count; n++, seq++) {
                    body.append(n == 0 ? "" : ",").append("{\"room\":\"").append(room).append("\",\"type\":\"r\",\"data\":");
                    String head = "{\"seq\":" + seq + ",\"sent\":" + System.nanoTime() + ",\"p\":\"";
                    body.append(head).append("x".repeat(Math.max(0, spec.payloadBytes() - head.length() - 2))).append("\"}")
                            .append(target.relayedEnvelopeFields(seq)).append('}');
                }
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(spec.publishBase().resolve(target.publishPath(room)))
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body.append(perPost == 1 ? "" : "]").toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (!target.publishAccepted(response.statusCode())) {
                    throw new IOException("publishing to " + room + ": HTTP " + response.statusCode() + " " + response.body());
                }
            }
        }
    }

    private static void awaitDeliveries(ClientLoop.Shared shared, long wanted, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (shared.deliveries.sum() < wanted && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Waits until the hub's {@code GET /api/v1/stats} counts {@code n} connections (or the time is up). */
    private void awaitHubConnections(int n, double seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int total = -1;
        while (System.nanoTime() < deadline) {
            String stats = http.send(HttpRequest.newBuilder(spec.statsUri()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = TOTAL.matcher(stats);
            total = m.find() ? Integer.parseInt(m.group(1)) : -1;
            if (total == n) {
                return;
            }
            Thread.sleep(100);
        }
        System.err.printf(Locale.ROOT, "  the hub still counts %d connections after %.0f s%n", total, seconds);
    }

    private static long micros(long nanos) {
        return Math.min(ClientLoop.HIGHEST_LATENCY_MICROS, Math.max(0, nanos / 1000));
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }
}

package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fan-out scenario: {@code subscribers} connections join one room, then a publisher sends
 * {@code rate} events per second to it for {@code warmup + seconds}; every subscriber checks
 * order and gaps, and every delivery after the warm-up is timed from its scheduled send.
 */
final class Fanout {
    /** What one run is made of. Every bound is explicit: connections, seconds, drain time. */
    record Spec(Target target, URI publishUri, int subscribers, double rate, double seconds, double warmup,
                int payloadBytes, int threads, List<InetAddress> sources, long hubPid, double drainSeconds,
                int maxPerPost, double connectSeconds, Path jfr) {
    }

    /** What one run measured. */
    record Result(Spec spec, int connected, int failed, int closedEarly, long published, long posts, int largestPost,
                  long failedPosts, String publishFailure, Histogram postMicros, long expected, long delivered, long measured,
                  double measuredSeconds, Histogram latencyMicros, long gaps, long outOfOrder, long missing,
                  long hubRssKiB, long hubPeakRssKiB, double subscriberCpuShare, Map<String, Integer> notes,
                  double hubCpuSeconds, Histogram firstSecondMicros, Histogram lastSecondMicros) {

        /**
         * How much longer the last second's events took than the first timed second's (median, ms): about 0
         * when the hub held the offered rate, growing with the run when a backlog built up.
         */
        double backlogGrowthMs() {
            if (firstSecondMicros.getTotalCount() == 0 || lastSecondMicros.getTotalCount() == 0) {
                return Double.NaN;
            }
            return (lastSecondMicros.getValueAtPercentile(50) - firstSecondMicros.getValueAtPercentile(50)) / 1000.0;
        }

        /** Held the offered rate: the backlog grew by at most 2 % of the timed window (delivering at ≥ 98 % of the offer). */
        boolean heldTheRate() {
            return backlogGrowthMs() <= 0.02 * spec.seconds() * 1000;
        }

        /** The hub's CPU time (user + system) per delivery while publishing and draining: less noisy than rates on a shared machine. */
        double hubCpuMicrosPerDelivery() {
            return hubCpuSeconds > 0 && delivered > 0 ? hubCpuSeconds * 1e6 / delivered : 0;
        }

        double deliveriesPerSecond() {
            return measuredSeconds > 0 ? measured / measuredSeconds : 0;
        }

        double percentileMs(double p) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(p) / 1000.0;
        }

        double maxMs() {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
        }

        static String csvHeader() {
            return "transport,batch,subscribers,rate,offered_per_s,deliveries_per_s,p50_ms,p99_ms,p999_ms,max_ms,"
                    + "gaps,out_of_order,missing,closed_early,failed,hub_rss_mib,hub_cpu_us_per_delivery,backlog_growth_ms";
        }

        String csvRow() {
            Target t = spec.target();
            return String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.0f,%.0f,%.3f,%.3f,%.3f,%.3f,%d,%d,%d,%d,%d,%.0f,%.2f,%.0f",
                    t.transport().label(), t.batch() ? 1 : 0, connected, spec.rate(),
                    spec.rate() * connected, deliveriesPerSecond(), percentileMs(50), percentileMs(99), percentileMs(99.9),
                    maxMs(), gaps, outOfOrder, missing, closedEarly, failed, hubRssKiB / 1024.0, hubCpuMicrosPerDelivery(),
                    backlogGrowthMs());
        }

        void print() {
            Target t = spec.target();
            System.out.printf(Locale.ROOT, "%-14s %s%s, room %s, %d B events%n", "fan-out",
                    t.transport().label(), t.batch() ? " batch=1" : "", t.room(), spec.payloadBytes());
            System.out.printf(Locale.ROOT, "%-14s %d connected, %d failed, %d closed before the end%n",
                    "subscribers", connected, failed, closedEarly);
            System.out.printf(Locale.ROOT, "%-14s %d at %.0f/s over %.1f s (incl. %.1f s warm-up) in %d POSTs (largest %d), %d failed%s%n",
                    "published", published, spec.rate(), spec.seconds() + spec.warmup(), spec.warmup(), posts, largestPost,
                    failedPosts, publishFailure == null ? "" : " (" + publishFailure + ")");
            System.out.printf(Locale.ROOT, "%-14s POST round trip p50 %.2f  p99 %.2f  max %.2f ms%n", "",
                    postMicros.getValueAtPercentile(50) / 1000.0, postMicros.getValueAtPercentile(99) / 1000.0,
                    postMicros.getMaxValue() / 1000.0);
            System.out.printf(Locale.ROOT, "%-14s %d of %d expected; after warm-up %d in %.2f s = %,.0f/s (offered %,.0f/s)%n",
                    "deliveries", delivered, expected, measured, measuredSeconds, deliveriesPerSecond(), spec.rate() * connected);
            System.out.printf(Locale.ROOT, "%-14s p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (scheduled send -> receipt, %d samples)%n",
                    "latency ms", percentileMs(50), percentileMs(99), percentileMs(99.9), maxMs(), latencyMicros.getTotalCount());
            if (!Double.isNaN(backlogGrowthMs())) {
                System.out.printf(Locale.ROOT, "%-14s p50 of the first timed second's events %.0f ms, of the last second's %.0f ms: "
                                + "%s%n", "backlog", firstSecondMicros.getValueAtPercentile(50) / 1000.0,
                        lastSecondMicros.getValueAtPercentile(50) / 1000.0, heldTheRate()
                                ? "held the offered rate (the figure above is below it by the last events' latency over the window)"
                                : String.format(Locale.ROOT, "fell behind (the backlog grew %.0f ms)", backlogGrowthMs()));
            }
            System.out.printf(Locale.ROOT, "%-14s gaps %d, out of order/duplicate %d, missing at the end %d%n",
                    "order", gaps, outOfOrder, missing);
            if (hubRssKiB > 0) {
                System.out.printf(Locale.ROOT, "%-14s %.0f MiB at the end of publishing (peak %.0f MiB)%n",
                        "hub RSS", hubRssKiB / 1024.0, hubPeakRssKiB / 1024.0);
            }
            if (hubCpuSeconds > 0) {
                System.out.printf(Locale.ROOT, "%-14s %.2f s of CPU (user + system) while publishing and draining = %.2f µs per delivery%n",
                        "hub CPU", hubCpuSeconds, hubCpuMicrosPerDelivery());
            }
            System.out.printf(Locale.ROOT, "%-14s subscriber threads busy %.0f%% of the run (%d thread(s); near 100%% means the generator, not the server, is the limit)%n",
                    "generator", subscriberCpuShare * 100, spec.threads());
            notes.forEach((text, n) -> System.out.printf(Locale.ROOT, "%-14s %dx %s%n", "note", n, text));
        }
    }

    private Fanout() {
    }

    static Result run(Spec spec) throws IOException, InterruptedException {
        ClientLoop.Shared shared = new ClientLoop.Shared();
        long totalEvents = Math.max(1, Math.round(spec.rate() * (spec.warmup() + spec.seconds())));
        long warmupEvents = Math.round(spec.rate() * spec.warmup());
        shared.measureFromSeq = warmupEvents;
        long oneSecond = Math.max(1, Math.round(spec.rate()));
        shared.firstSecondUntilSeq = Math.min(totalEvents, warmupEvents + oneSecond);
        shared.lastSecondFromSeq = Math.max(shared.firstSecondUntilSeq, totalEvents - oneSecond);

        List<ClientLoop> loops = new ArrayList<>();
        long runStart = System.nanoTime();
        for (int i = 0; i < spec.threads(); i++) {
            int share = spec.subscribers() / spec.threads() + (i < spec.subscribers() % spec.threads() ? 1 : 0);
            loops.add(new ClientLoop(spec.target(), share, spec.sources(), shared).start("subscribers-" + i));
        }
        try {
            awaitConnected(shared, spec.subscribers(), spec.connectSeconds());
            int connected = shared.ready.get();
            if (connected == 0) {
                throw new IllegalStateException("no subscriber could connect: " + shared.notesSnapshot());
            }

            Publisher publisher = new Publisher(spec.publishUri(), spec.target().room(), spec.rate(), totalEvents,
                    spec.payloadBytes(), spec.maxPerPost()).servedBy(spec.target());
            if (spec.jfr() != null) {
                jcmd(spec.hubPid(), "JFR.start", "name=bench", "settings=profile", "filename=" + spec.jfr().toAbsolutePath());
            }
            long hubTicks0 = hubCpuTicks(spec.hubPid());
            Thread publishing = publisher.start(System.nanoTime() + 200_000_000L);
            publishing.join((long) ((spec.warmup() + spec.seconds() + 30) * 1000));
            publisher.stop();
            long[] rss = hubRss(spec.hubPid());
            if (spec.jfr() != null) {
                jcmd(spec.hubPid(), "JFR.stop", "name=bench");
            }

            long drainUntil = System.nanoTime() + (long) (spec.drainSeconds() * 1e9);
            long expected;
            do {
                expected = publisher.published * (connected - shared.closedAfterReady.get());
                if (shared.deliveries.sum() >= expected) {
                    break;
                }
                Thread.sleep(20);
            } while (System.nanoTime() < drainUntil);

            long hubTicks1 = hubCpuTicks(spec.hubPid());
            for (ClientLoop loop : loops) {
                loop.stop();
            }
            Histogram latency = new Histogram(ClientLoop.HIGHEST_LATENCY_MICROS, 3);
            Histogram firstSecond = new Histogram(ClientLoop.HIGHEST_LATENCY_MICROS, 3);
            Histogram lastSecond = new Histogram(ClientLoop.HIGHEST_LATENCY_MICROS, 3);
            long measured = 0;
            long lastNanos = 0;
            long gaps = 0;
            long outOfOrder = 0;
            long missing = 0;
            long delivered = 0;
            for (ClientLoop loop : loops) {
                latency.add(loop.latency());
                firstSecond.add(loop.firstSecond());
                lastSecond.add(loop.lastSecond());
                measured += loop.measuredDeliveries;
                lastNanos = Math.max(lastNanos, loop.lastMeasuredNanos);
                for (Conn conn : loop.conns()) {
                    if (!conn.isReady()) {
                        continue;
                    }
                    delivered += conn.received;
                    gaps += conn.gaps;
                    outOfOrder += conn.outOfOrder;
                    missing += Math.max(0, publisher.published - conn.nextSeq);
                }
            }
            long loopCpu = loops.stream().mapToLong(l -> l.cpuNanos).sum();
            double cpuShare = loopCpu / (double) (System.nanoTime() - runStart) / loops.size();
            double measuredSeconds = lastNanos == 0 ? 0 : (lastNanos - publisher.dueNanos(warmupEvents)) / 1e9;
            return new Result(spec, connected, shared.failed.get(), shared.closedAfterReady.get(), publisher.published,
                    publisher.posts, publisher.largestPost, publisher.failedPosts, publisher.firstFailure, publisher.postMicros,
                    publisher.published * connected, delivered, measured, measuredSeconds, latency, gaps, outOfOrder,
                    missing, rss[0], rss[1], cpuShare, shared.notesSnapshot(),
                    hubTicks0 < 0 || hubTicks1 < 0 ? 0 : (hubTicks1 - hubTicks0) / (double) CLOCK_TICKS, firstSecond, lastSecond);
        } finally {
            for (ClientLoop loop : loops) {
                loop.stop();
            }
        }
    }

    /** Waits until every connection is ready or failed, or the time is up; says how it goes. */
    static void awaitConnected(ClientLoop.Shared shared, int wanted, double seconds) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long nextReport = start + 2_000_000_000L;
        while (shared.ready.get() + shared.failed.get() < wanted && System.nanoTime() < deadline) {
            Thread.sleep(10);
            if (System.nanoTime() > nextReport) {
                System.err.printf(Locale.ROOT, "  connecting: %d ready, %d failed of %d%n",
                        shared.ready.get(), shared.failed.get(), wanted);
                nextReport += 2_000_000_000L;
            }
        }
        System.err.printf(Locale.ROOT, "  %d of %d connected in %.1f s (%d failed)%n", shared.ready.get(), wanted,
                (System.nanoTime() - start) / 1e9, shared.failed.get());
    }

    /** Runs the JDK's jcmd against the server process (a flight recording of exactly the publishing); returns what it printed. */
    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        if (pid <= 0) {
            throw new IllegalArgumentException("jcmd needs --hub-pid");
        }
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** The kernel's clock ticks per second (USER_HZ), the unit of /proc/PID/stat's times; 100 on Linux. */
    private static final int CLOCK_TICKS = 100;

    /**
     * utime + stime of the server in clock ticks, from /proc; -1 when unknown. The server is the process and
     * its children: nginx's master and its workers (the hub and Node have none).
     */
    static long hubCpuTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        long ticks = 0;
        for (long p : ServerProcesses.of(pid)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + p + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of stat(5)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return ticks;
    }

    /** VmRSS and VmHWM (peak) of the server (the process and its children, summed) in KiB, from /proc; zeros when unknown. */
    static long[] hubRss(long pid) {
        long[] rss = new long[2];
        if (pid <= 0) {
            return rss;
        }
        for (long p : ServerProcesses.of(pid)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss[0] += Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("VmHWM:")) {
                        rss[1] += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // unknown
            }
        }
        return rss;
    }
}

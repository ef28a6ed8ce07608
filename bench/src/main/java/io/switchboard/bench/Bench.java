package io.switchboard.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The load generator's command line. It only ever talks to loopback, opens at most
 * {@link #MAX_CONNECTIONS} connections per process and stops by itself after a bounded time.
 * {@code bench/run} starts the servers and calls it; see docs/benchmarks.md.
 */
public final class Bench {
    /** Stays clear of the 20,000 open files one process may hold. */
    static final int MAX_CONNECTIONS = 19_000;
    static final int MAX_SECONDS = 600;

    private static final String USAGE = """
            Usage: java -jar switchboard-bench.jar <scenario> --port N [options]
              fanout   one room, N subscribers, an open-loop publisher; latency, deliveries/s, order
                       --subscribers N (100) --rate EVENTS_PER_S (1000) --seconds S (10) --warmup S (2)
                       --transport ws|sse|socketio|nchan-ws|nchan-sse|plain-ws (ws) --batch --size BYTES (100) --threads N (1)
                       --hub-pid PID (reads its RSS) --drain S (10) --room NAME
                       --jfr FILE (records the server with JFR while publishing; needs --hub-pid)
              sweep    fan-out at increasing subscriber counts until p99 passes --p99-limit-ms (50)
                       --subscribers 250,500,... --rate R (20) --seconds S --csv FILE --png FILE
              idle     opens --connections N idle connections (--transport, as fanout) from --source-ips K addresses
                       (127.0.0.1..K; 0: the kernel's choice), prints READY, holds them --hold S seconds (answering pings)
              resume   the resume storm: --clients N (10000) join --rooms R (1) rooms named --room PREFIX
                       (bench:resume) and see --before N (5) events; all close; --missed M (100) events are
                       published per room; all reconnect at once with join {since}; catch-up time, order, gaps
                       --transport ws|sse|nchan-sse (ws; SSE resumes with Last-Event-ID)
                       --opening N (256: handshakes in flight per thread) --timeout S (60) --threads N (1)
                       --hub-pid PID --jfr FILE (records the server during the storm) --size BYTES (100)
              abuse    hostile and broken clients at once while a bystander receives an event stream (SPEC 15):
                       --seconds S (60) --silent N (2000) --burst N (1000: more silent sockets, 15 % into the run)
                       --burst-seconds S (10) --slowloris N (500) --slowloris-interval-ms MS (300)
                       --drops N (500) --stalled-sse N (50) --stalled-ws N (50) --stall-hold S (15)
                       --ballast-rate EVENTS_PER_S (100) --ballast-size BYTES (8000): what the stalled readers also get
                       --fuzz-frames N (100000) --fuzzers N (24) --seed N (15) --room NAME (abuse:bystander)
                       --rate EVENTS_PER_S (50) --size BYTES (512) --handshake-timeout S (the hub's, 10)
                       --hub-pid PID (its RSS) --hub-log FILE (stack traces, close codes) --gc-log FILE (the hub's -Xlog:gc)
                       --samples FILE (CSV, one row a second)
                       exits 1 when an acceptance criterion fails
              plot     --csv FILE --png FILE: redraws a sweep's plot
            Common: --host 127.0.0.1 --port N (subscribers) --publish-port N (default: --port)
            """;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        Options o = new Options(args, 1,
                Set.of("batch"),
                Set.of("host", "port", "publish-port", "subscribers", "rate", "seconds", "warmup", "transport", "size",
                        "threads", "hub-pid", "drain", "room", "csv", "png", "p99-limit-ms", "connections",
                        "source-ips", "hold", "connect-seconds", "max-per-post", "jfr",
                        "clients", "rooms", "before", "missed", "opening", "timeout",
                        "silent", "slowloris", "slowloris-interval-ms", "drops", "stalled-sse", "stalled-ws", "stall-hold",
                        "fuzz-frames", "fuzzers", "seed", "handshake-timeout", "hub-log", "gc-log", "samples", "burst", "burst-seconds",
                        "ballast-rate", "ballast-size"));
        switch (args[0]) {
            case "fanout" -> {
                Fanout.Result result = Fanout.run(spec(o, o.integer("subscribers", 100), o.text("room", "bench:fanout")));
                result.print();
                System.out.println("CSV " + Fanout.Result.csvHeader());
                System.out.println("CSV " + result.csvRow());
            }
            case "sweep" -> sweep(o);
            case "idle" -> idle(o);
            case "resume" -> {
                Resume.Result result = Resume.run(resumeSpec(o));
                result.print();
                System.out.println("CSV " + Resume.Result.csvHeader());
                System.out.println("CSV " + result.csvRow());
            }
            case "abuse" -> {
                Abuse.Result result = Abuse.run(abuseSpec(o));
                result.print();
                System.out.println("CSV " + Abuse.Result.csvHeader());
                System.out.println("CSV " + result.csvRow());
                System.out.flush();
                if (!result.failures().isEmpty()) {
                    System.exit(1);
                }
            }
            case "plot" -> Plot.write(Path.of(o.text("csv", "sweep.csv")), Path.of(o.text("png", "sweep.png")),
                    o.decimal("p99-limit-ms", 50));
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    private static Fanout.Spec spec(Options o, int subscribers, String room) throws IOException {
        bounded("--subscribers", subscribers, MAX_CONNECTIONS);
        double seconds = o.decimal("seconds", 10);
        double warmup = o.decimal("warmup", 2);
        bounded("--seconds + --warmup", seconds + warmup, MAX_SECONDS);
        Target target = target(o, room);
        int publishPort = o.integer("publish-port", target.port());
        return new Fanout.Spec(target, URI.create("http://" + target.host() + ":" + publishPort + target.publishPath(room)),
                subscribers, o.decimal("rate", 1000), seconds, warmup, o.integer("size", 100), o.integer("threads", 1),
                sources(o.integer("source-ips", 0)), o.integer("hub-pid", 0), Math.min(60, o.decimal("drain", 10)),
                target.maxEventsPerPost(o.integer("max-per-post", 1000)), Math.min(300, o.decimal("connect-seconds", 60)),
                o.text("jfr", null) == null ? null : Path.of(o.text("jfr", null)));
    }

    private static Resume.Spec resumeSpec(Options o) {
        int clients = o.integer("clients", 10_000);
        bounded("--clients", clients, MAX_CONNECTIONS);
        int rooms = o.integer("rooms", 1);
        bounded("--rooms", rooms, clients);
        int before = o.integer("before", 5);
        int missed = o.integer("missed", 100);
        bounded("--before", before, 1000);
        bounded("--missed", missed, 100_000);
        if (before < 1 || missed < 1 || rooms < 1) {
            throw new IllegalArgumentException("--rooms, --before and --missed must be at least 1");
        }
        double timeout = o.decimal("timeout", 60);
        bounded("--timeout", timeout, MAX_SECONDS);
        Target target = target(o, o.text("room", "bench:resume"));
        Target.Transport transport = target.transport();
        if (transport != Target.Transport.WS && !transport.isSse()) {
            throw new IllegalArgumentException("resume: --transport ws, sse or nchan-sse (a server that can resume)");
        }
        String base = "http://" + target.host() + ":" + o.integer("publish-port", target.port());
        return new Resume.Spec(target, URI.create(base + "/"), URI.create(base + "/api/v1/stats"), clients, rooms,
                before, missed, o.integer("size", 100), o.integer("threads", 1), o.integer("opening", ClientLoop.MAX_OPENING),
                Math.min(300, o.decimal("connect-seconds", 120)), timeout, o.integer("hub-pid", 0),
                o.text("jfr", null) == null ? null : Path.of(o.text("jfr", null)));
    }

    private static Abuse.Spec abuseSpec(Options o) {
        double seconds = o.decimal("seconds", 60);
        bounded("--seconds", seconds, MAX_SECONDS);
        long fuzzFrames = o.integer("fuzz-frames", 100_000);
        bounded("--fuzz-frames", fuzzFrames, 10_000_000);
        String port = o.text("port", null);
        if (port == null) {
            throw new IllegalArgumentException("--port is required");
        }
        String host = o.text("host", "127.0.0.1");
        new Target(Target.Transport.WS, host, Integer.parseInt(port), null, false); // loopback only
        Abuse.Spec spec = new Abuse.Spec(host, Integer.parseInt(port), o.integer("hub-pid", 0),
                o.text("hub-log", null) == null ? null : Path.of(o.text("hub-log", null)),
                o.text("gc-log", null) == null ? null : Path.of(o.text("gc-log", null)),
                o.text("samples", null) == null ? null : Path.of(o.text("samples", null)), seconds,
                o.integer("silent", 2000), o.integer("burst", 1000), o.decimal("burst-seconds", 10), o.integer("slowloris", 500),
                o.decimal("slowloris-interval-ms", 300), o.integer("drops", 500), o.integer("stalled-sse", 50),
                o.integer("stalled-ws", 50), o.decimal("stall-hold", 15), o.decimal("ballast-rate", 100),
                o.integer("ballast-size", 8_000), fuzzFrames, o.integer("fuzzers", 24), o.integer("seed", 15), o.text("room", "abuse:bystander"),
                o.decimal("rate", 50), o.integer("size", 512), o.decimal("handshake-timeout", 10));
        // One process may hold 20,000 files: the attack, the bystander, the publisher and the monitor stay under it.
        bounded("the attack's sockets (--silent + --burst + --slowloris + --drops + --stalled-* + --fuzzers)", spec.attackSockets(),
                MAX_CONNECTIONS - 100);
        bounded("--slowloris-interval-ms", spec.slowlorisIntervalMs(), 60_000);
        bounded("--stall-hold", spec.stallHoldSeconds(), MAX_SECONDS);
        bounded("--rate", spec.rate(), 10_000);
        bounded("--ballast-rate", spec.ballastRate(), 1_000);
        bounded("--ballast-size", spec.ballastBytes(), 60_000);
        bounded("--burst-seconds", spec.burstSeconds(), seconds);
        if (spec.fuzzers() < 1 || spec.rate() <= 0 || spec.slowlorisIntervalMs() < 1) {
            throw new IllegalArgumentException("--fuzzers, --rate and --slowloris-interval-ms must be positive");
        }
        return spec;
    }

    private static Target target(Options o, String room) {
        String port = o.text("port", null);
        if (port == null) {
            throw new IllegalArgumentException("--port is required");
        }
        return new Target(Target.Transport.parse(o.text("transport", "ws")), o.text("host", "127.0.0.1"),
                Integer.parseInt(port), room, o.flag("batch"));
    }

    /**
     * Source addresses 127.0.0.1 .. 127.0.0.k, each with its own ~28,000 ephemeral ports. None
     * ({@code k = 0}): the kernel picks the source at connect time, which may reuse ports still in
     * TIME_WAIT from an earlier run against another server port; binding first cannot.
     */
    private static List<InetAddress> sources(int k) throws IOException {
        bounded("--source-ips", k, 250);
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 1; i <= k; i++) {
            sources.add(InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) i}));
        }
        return sources;
    }

    private static void sweep(Options o) throws Exception {
        Path csv = Path.of(o.text("csv", "sweep.csv"));
        double limit = o.decimal("p99-limit-ms", 50);
        List<String> rows = new ArrayList<>(List.of(Fanout.Result.csvHeader()));
        int beyond = -1;
        for (int subscribers : o.integers("subscribers", "250,500,1000,2000,4000,6000,8000,10000")) {
            System.err.printf(Locale.ROOT, "sweep: %d subscribers at %.0f events/s%n", subscribers, o.decimal("rate", 20));
            Fanout.Result result = Fanout.run(spec(o, subscribers, "bench:sweep-" + subscribers));
            result.print();
            System.out.println();
            rows.add(result.csvRow());
            Files.write(csv, rows);
            if (beyond < 0 && !(result.percentileMs(99) <= limit)) {
                System.out.printf(Locale.ROOT, "p99 %.1f ms passed %.0f ms at %d subscribers%n",
                        result.percentileMs(99), limit, subscribers);
                beyond = 0;
            } else if (beyond >= 0) {
                beyond++;
            }
            // One point past the break shows the trend; further ones would only load a saturated hub.
            if (beyond >= 1 || result.closedEarly() > 0) {
                break;
            }
        }
        System.out.println("wrote " + csv);
        if (o.text("png", null) != null) {
            Plot.write(csv, Path.of(o.text("png", null)), limit);
            System.out.println("wrote " + o.text("png", null));
        }
    }

    private static void idle(Options o) throws Exception {
        int connections = o.integer("connections", 1000);
        bounded("--connections", connections, MAX_CONNECTIONS);
        double hold = o.decimal("hold", 60);
        bounded("--hold", hold, MAX_SECONDS);
        ClientLoop.Shared shared = new ClientLoop.Shared();
        List<ClientLoop> loops = new ArrayList<>();
        int threads = o.integer("threads", 1);
        List<InetAddress> sources = sources(o.integer("source-ips", 0));
        for (int i = 0; i < threads; i++) {
            int share = connections / threads + (i < connections % threads ? 1 : 0);
            loops.add(new ClientLoop(target(o, null), share, sources, shared).start("idle-" + i));
        }
        try {
            Fanout.awaitConnected(shared, connections, Math.min(300, o.decimal("connect-seconds", 120)));
            System.out.printf(Locale.ROOT, "READY connected=%d failed=%d%n", shared.ready.get(), shared.failed.get());
            shared.notesSnapshot().forEach((text, n) -> System.out.printf(Locale.ROOT, "note %dx %s%n", n, text));
            System.out.flush();
            long until = System.nanoTime() + (long) (hold * 1e9);
            while (System.nanoTime() < until) {
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "DONE closed-early=%d%n", shared.closedAfterReady.get());
        } finally {
            for (ClientLoop loop : loops) {
                loop.stop();
            }
        }
    }

    private static void bounded(String what, double value, double max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " must be between 0 and " + (long) max);
        }
    }
}

package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's collections, from its GC log ({@code -Xlog:gc:file=...}): when each pause was (seconds
 * into the attack), the heap after it and the heap committed. The heap after a collection is what
 * tells a leak from a heap the JVM merely grew into, which RSS cannot.
 */
record HubGc(List<Pause> pauses) {
    record Pause(double seconds, long afterMiB, long committedMiB, double millis) {
    }

    private static final Pattern PAUSE = Pattern.compile(
            "^\\[([\\d.]+)s\\].* Pause .* (\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");

    /** @param uptimeAtStart the hub JVM's uptime, in seconds, when the attack began */
    static HubGc read(Path log, double uptimeAtStart) throws IOException {
        return new HubGc(Files.readAllLines(log).stream().map(PAUSE::matcher).filter(Matcher::find)
                .map(m -> new Pause(Double.parseDouble(m.group(1)) - uptimeAtStart, Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4)), Double.parseDouble(m.group(5))))
                .toList());
    }

    /** The largest heap after a collection between {@code from} and {@code to} seconds; -1 if none. */
    long maxAfter(double from, double to) {
        return pauses.stream().filter(p -> p.seconds() > from && p.seconds() <= to).mapToLong(Pause::afterMiB).max().orElse(-1);
    }

    /** The smallest heap after a collection between {@code from} and {@code to} seconds: the live set, about; -1 if none. */
    long minAfter(double from, double to) {
        return pauses.stream().filter(p -> p.seconds() > from && p.seconds() <= to).mapToLong(Pause::afterMiB).min().orElse(-1);
    }

    long committedAt(double to) {
        return pauses.stream().filter(p -> p.seconds() <= to).mapToLong(Pause::committedMiB).reduce((a, b) -> b).orElse(-1);
    }

    long count(double from, double to) {
        return pauses.stream().filter(p -> p.seconds() > from && p.seconds() <= to).count();
    }

    double longestMillis(double from, double to) {
        return pauses.stream().filter(p -> p.seconds() > from && p.seconds() <= to).mapToDouble(Pause::millis).max().orElse(0);
    }
}

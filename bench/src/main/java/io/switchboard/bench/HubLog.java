package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the hub's log says about a run (java.util.logging's one-line format,
 * {@code <time> <LEVEL> <logger>: <message>}, a throwable's trace on the lines after it): stack traces,
 * warnings, and the connections it closed by close code.
 */
record HubLog(long lines, long warnings, long severe, long stackTraces, long traceLines, long exceptionLines,
              long protocolErrorLines, Map<Integer, Integer> closesByCode, List<String> excerpt) {

    private static final Pattern LEVEL = Pattern.compile("^\\S+Z (\\w+)\\s");
    private static final Pattern CLOSED = Pattern.compile("connection closed .* code=(-?\\d+)");
    /** The first line of a printed throwable: {@code java.io.IOException: ...}, {@code Caused by: ...}. */
    private static final Pattern THROWABLE = Pattern.compile("^(Caused by: |Suppressed: )?[a-z][\\w$]*(\\.[\\w$]+)+(Exception|Error|Throwable)\\b.*");

    static HubLog read(Path log) throws IOException {
        long lines = 0;
        long warnings = 0;
        long severe = 0;
        long traces = 0;
        long traceLines = 0;
        long exceptionLines = 0;
        long protocolErrors = 0;
        Map<Integer, Integer> closes = new TreeMap<>();
        List<String> excerpt = new ArrayList<>();
        boolean inTrace = false;
        String previous = "";
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            lines++;
            Matcher level = LEVEL.matcher(line);
            String lvl = level.find() ? level.group(1) : "";
            if (lvl.equals("WARNING")) {
                warnings++;
            } else if (lvl.equals("SEVERE")) {
                severe++;
            }
            boolean traceLine = line.matches("^\\s+at .*") || line.matches("^\\s+\\.\\.\\. \\d+ more.*");
            boolean exception = (lvl.equals("WARNING") || lvl.equals("SEVERE")) && line.contains("Exception")
                    || lvl.isEmpty() && THROWABLE.matcher(line).matches();
            if (traceLine) {
                traceLines++;
                if (!inTrace) {
                    traces++;
                }
            }
            if (exception) {
                exceptionLines++;
            }
            if ((traceLine && !inTrace || exception || lvl.equals("SEVERE")) && excerpt.size() < 12) {
                if (traceLine && !previous.isEmpty() && (excerpt.isEmpty() || !excerpt.getLast().equals(previous))) {
                    excerpt.add(previous);
                }
                excerpt.add(line);
            }
            previous = line;
            inTrace = traceLine || (inTrace && lvl.isEmpty() && THROWABLE.matcher(line).matches());
            if (line.contains("WebSocket protocol error")) {
                protocolErrors++;
            }
            Matcher closed = CLOSED.matcher(line);
            if (closed.find()) {
                closes.merge(Integer.parseInt(closed.group(1)), 1, Integer::sum);
            }
        }
        return new HubLog(lines, warnings, severe, traces, traceLines, exceptionLines, protocolErrors, closes, excerpt);
    }

    /** No stack trace and no exception at WARNING or SEVERE. */
    boolean clean() {
        return traceLines == 0 && exceptionLines == 0;
    }
}

package io.switchboard.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options; unknown names are an error. */
final class Options {
    private final Map<String, String> values = new HashMap<>();

    Options(String[] args, int from, Set<String> flags, Set<String> valued) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            if (flags.contains(name)) {
                values.put(name, "true");
            } else if (valued.contains(name) && i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option or missing value: " + arg);
            }
        }
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double decimal(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    List<Integer> integers(String name, String fallback) {
        return java.util.Arrays.stream(text(name, fallback).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}

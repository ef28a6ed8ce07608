package io.switchboard.bootstrap;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.spi.ConfigSource;
import io.helidon.config.ConfigSources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration values in layers, highest first: command-line options, environment variables,
 * the {@code --config} file, the {@code --profile} file, then the defaults of {@link ConfigSchema}.
 * Reading collects every problem; {@link #finish()} reports them all at once.
 */
final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<String, String> overrides;
    private final Map<String, String> environment;
    private final List<Layer> files = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private record Layer(String origin, Config config) {
    }

    ConfigValues(Map<String, String> overrides, Map<String, String> environment) {
        this.overrides = new LinkedHashMap<>(overrides);
        this.environment = environment;
    }

    /** Adds a YAML file below the layers already added; unknown keys in it are problems. */
    ConfigValues withFile(String origin, Path file) {
        if (!Files.isRegularFile(file)) {
            problems.add(origin + ": file not found: " + file);
            return this;
        }
        return withSource(origin, file.toString(), ConfigSources.file(file).build());
    }

    /**
     * Adds a YAML resource on the class path (a bundled profile) below the layers already added;
     * unknown keys in it are problems, as in a file.
     */
    ConfigValues withResource(String origin, String resource) {
        if (ConfigValues.class.getClassLoader().getResource(resource) == null) {
            problems.add(origin + ": resource not found: " + resource);
            return this;
        }
        return withSource(origin, "classpath:" + resource, ConfigSources.classpath(resource).build());
    }

    private ConfigValues withSource(String origin, String where, ConfigSource source) {
        Config config;
        try {
            config = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .disableValueResolving()
                    .sources(() -> source)
                    .build();
            config.traverse().filter(Config::isLeaf).forEach(leaf -> {
                String key = leaf.key().toString();
                if (!ConfigSchema.known(key)) {
                    problems.add(key + ": unknown config key (in " + where + ")");
                }
            });
        } catch (ConfigException e) {
            problems.add(origin + ": cannot read " + where + ": " + e.getMessage());
            return this;
        }
        files.add(new Layer(where, config));
        return this;
    }

    String text(String name) {
        return raw(schema(name));
    }

    int integer(String name, int min, int max) {
        String value = raw(schema(name));
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                problems.add(name + ": " + value + " is out of range (" + min + " to " + max + ")");
                return min;
            }
            return (int) parsed;
        } catch (NumberFormatException e) {
            problems.add(name + ": '" + value + "' is not a whole number");
            return min;
        }
    }

    double decimal(String name, double min) {
        String value = raw(schema(name));
        try {
            double parsed = Double.parseDouble(value.trim());
            if (!(parsed >= min) || Double.isInfinite(parsed)) {
                problems.add(name + ": " + value + " must be at least " + min);
                return Math.max(min, 1);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + ": '" + value + "' is not a number");
            return Math.max(min, 1);
        }
    }

    Duration duration(String name) {
        String value = raw(schema(name)).trim();
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            problems.add(name + ": '" + value + "' is not a positive duration (e.g. 500ms, 30s, 5m, 24h, PT1M)");
            return Duration.ofSeconds(1);
        }
        return parsed;
    }

    /** A duration where {@code 0} means off ({@link Duration#ZERO}). */
    Duration durationOrOff(String name) {
        String value = raw(schema(name)).trim();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.isNegative()) {
            problems.add(name + ": '" + value + "' is not 0 (off) or a duration (e.g. 10s, 10m, 90s)");
            return Duration.ZERO;
        }
        return parsed;
    }

    String choice(String name, List<String> allowed) {
        String value = raw(schema(name)).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            problems.add(name + ": '" + value + "' is not one of " + String.join(", ", allowed));
            return allowed.getFirst();
        }
        return value;
    }

    List<String> list(String name) {
        ConfigKey key = schema(name);
        String override = overrides.containsKey(name) ? overrides.get(name) : environment.get(key.environmentName());
        if (override != null) {
            return splitList(override);
        }
        for (Layer layer : files) {
            Config node = layer.config.get(name);
            if (node.exists()) {
                try {
                    return node.isLeaf() ? splitList(node.asString().get()) : node.asList(String.class).get();
                } catch (ConfigException e) {
                    problems.add(name + ": must be a list of strings (in " + layer.origin + ")");
                    return List.of();
                }
            }
        }
        return splitList(key.defaultValue());
    }

    /**
     * {@code setting} of every namespace configured under {@code hub.namespaces} in the files, by
     * namespace (a higher layer wins). Namespace settings come from files only.
     */
    Map<String, String> perNamespace(String setting) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Config namespaces = files.get(i).config.get(ConfigSchema.NAMESPACES);
            namespaces.asNodeList().ifPresent(nodes -> nodes.forEach(ns -> {
                Config value = ns.get(setting);
                if (value.exists() && value.isLeaf()) {
                    values.put(ns.name(), value.asString().get());
                }
            }));
        }
        return values;
    }

    /**
     * The entries of {@code hub.endpoints} from the highest file that has the list, each as a tree:
     * a setting's value is its text, a list of values, or a map of settings (e.g. {@code dialect}).
     * Endpoints come from files only.
     */
    List<Map<String, Object>> endpoints() {
        for (Layer layer : files) {
            Config list = layer.config.get(ConfigSchema.ENDPOINTS);
            if (list.exists()) {
                List<Map<String, Object>> entries = new ArrayList<>();
                for (Config entry : list.asNodeList().orElse(List.of())) {
                    entries.add(tree(entry) instanceof Map<?, ?> map ? castTree(map) : Map.of());
                }
                return entries;
            }
        }
        return List.of();
    }

    private static Object tree(Config node) {
        return switch (node.type()) {
            case OBJECT -> {
                Map<String, Object> children = new LinkedHashMap<>();
                node.asNodeList().orElse(List.of()).forEach(child -> children.put(child.name(), tree(child)));
                yield children;
            }
            case LIST -> node.asNodeList().orElse(List.of()).stream().map(ConfigValues::tree).toList();
            default -> node.asString().orElse("");
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castTree(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** How many problems were found so far. */
    int problemCount() {
        return problems.size();
    }

    /**
     * The node {@code name} of the highest file that has it, for structured settings (lists of
     * objects) that only files can hold; empty when no file has it.
     */
    java.util.Optional<Config> structured(String name) {
        for (Layer layer : files) {
            Config node = layer.config.get(name);
            if (node.exists()) {
                return java.util.Optional.of(node);
            }
        }
        return java.util.Optional.empty();
    }

    /** Records a problem found while building settings from these values. */
    void problem(String message) {
        problems.add(message);
    }

    /** Throws one {@link StartupException} naming every problem found. */
    void finish() {
        if (!problems.isEmpty()) {
            throw new StartupException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    private String raw(ConfigKey key) {
        if (overrides.containsKey(key.name())) {
            return overrides.get(key.name());
        }
        String env = environment.get(key.environmentName());
        if (env != null) {
            return env;
        }
        for (Layer layer : files) {
            Config node = layer.config.get(key.name());
            if (node.exists() && node.isLeaf()) {
                return node.asString().get();
            }
        }
        return key.defaultValue();
    }

    private static ConfigKey schema(String name) {
        return ConfigSchema.find(name).orElseThrow(() -> new IllegalArgumentException("no config key " + name));
    }

    static Duration parseDuration(String value) {
        Matcher m = DURATION.matcher(value);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) { // not a duration, or too long for one
            return null;
        }
    }

    private static List<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

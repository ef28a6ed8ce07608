package io.switchboard.bootstrap;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The launcher's options. Unknown or malformed options are a {@link StartupException}. */
record CommandLine(Path config, String profile, boolean ephemeral, boolean help, boolean version,
                   Map<String, String> overrides) {

    static final String USAGE = """
            Usage: switchboard [options]
                   switchboard token --sub USER [--roles r1,r2] [--rooms 'a:*'] [--ttl 1h]   (a development token)

              --port N          listen on port N (default 8080; 0 picks a free port)
              --config FILE     read configuration from FILE (YAML)
              --profile NAME    start with a bundled profile
              --data DIR        directory for durable data (default ./data)
              --ephemeral       keep everything in memory; nothing is written to disk
              --help            show this help
              --version         show the version

            Every configuration key can also be set by environment variable:
            hub.heartbeat.interval -> HUB_HEARTBEAT_INTERVAL. See docs/configuration.md.
            """;

    static CommandLine parse(String... args) {
        Path config = null;
        String profile = null;
        boolean ephemeral = false;
        boolean help = false;
        boolean version = false;
        Map<String, String> overrides = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                case "--ephemeral" -> ephemeral = true;
                case "--port", "--config", "--profile", "--data" -> {
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new StartupException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--port" -> overrides.put("server.port", port(value));
                        case "--config" -> config = Path.of(value);
                        case "--profile" -> profile = value;
                        default -> overrides.put("hub.data-dir", value);
                    }
                }
                default -> throw new StartupException("unknown option '" + arg + "'");
            }
        }
        return new CommandLine(config, profile, ephemeral, help, version, overrides);
    }

    private static String port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException("--port: '" + value + "' is not a port number (0 to 65535)");
    }
}

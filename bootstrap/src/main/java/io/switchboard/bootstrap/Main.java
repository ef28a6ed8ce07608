package io.switchboard.bootstrap;

import io.helidon.logging.common.LogConfig;
import io.switchboard.adapters.eventbus.EventStorage;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;

/** Starts the hub: {@code java -jar switchboard.jar [options]}; see {@link CommandLine#USAGE}. */
public final class Main {
    static {
        // before the first logger exists, or the JDK's own LogManager is already in place; an operator's choice stays
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
        }
    }

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("token")) {
            mintToken(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        CommandLine cli;
        Settings settings;
        try {
            cli = CommandLine.parse(args);
            if (cli.help()) {
                System.out.print(CommandLine.USAGE);
                return;
            }
            if (cli.version()) {
                System.out.println("switchboard " + version());
                return;
            }
            settings = Settings.load(cli, System.getenv());
        } catch (StartupException e) {
            System.err.println("switchboard: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        LogConfig.configureRuntime();
        Switchboard hub;
        try {
            hub = Switchboard.start(settings, Clock.systemUTC());
        } catch (UncheckedIOException e) {
            System.err.println("switchboard: cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (EventStorage.UnavailableException e) {
            System.err.println("switchboard: cannot open the event storage: " + e.getMessage());
            System.err.println(settings.database().shared()
                    ? "Check hub.db.url, hub.db.user and hub.db.password, or use --ephemeral to keep events in memory only."
                    : "Use --data DIR for another directory, or --ephemeral to keep events in memory only.");
            System.exit(1);
            return;
        }
        if (hub.port() < 0) {
            System.err.println("switchboard: the server did not open a port on " + settings.host() + ":" + settings.port()
                    + " (is it in use?)");
            hub.stop();
            System.exit(1);
            return;
        }
        ShutdownLogManager.hubStarted();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hub.stop();
            ShutdownLogManager.hubStopped();
        }, "switchboard-shutdown"));
        LOG.log(System.Logger.Level.INFO, "Switchboard {0} listening on port {1}{4}: WebSocket {2}, publish POST /api/v1/events, "
                + "stats GET /api/v1/stats; storage {3}", version(), String.valueOf(hub.port()),
                settings.websocket().path(), hub.storage(), settings.tls().isPresent() ? " with TLS (https://, wss://)" : "");
        if (hub.loopbackPublishOnly()) {
            LOG.log(System.Logger.Level.WARNING, "No publisher API key is configured (hub.publish.api-keys or "
                    + "HUB_PUBLISH_API_KEYS): only loopback clients may publish.");
        }
    }

    private static void mintToken(String[] args) {
        if (args.length == 0 || Arrays.asList(args).contains("--help")) {
            System.out.print(TokenCommand.USAGE);
            return;
        }
        try {
            System.out.println(TokenCommand.mint(args, System.getenv(), Clock.systemUTC()));
        } catch (StartupException e) {
            System.err.println("switchboard: " + e.getMessage());
            System.exit(2);
        }
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}

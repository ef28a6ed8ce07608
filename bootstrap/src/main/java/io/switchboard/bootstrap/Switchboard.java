package io.switchboard.bootstrap;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.switchboard.adapters.eventbus.EventStorage;
import io.switchboard.adapters.http.HttpAdapter;
import io.switchboard.adapters.sse.SseAdapter;
import io.switchboard.adapters.websocket.WebSocketAdapter;
import io.switchboard.adapters.websocket.WebSocketEndpoint;
import io.switchboard.adapters.security.SecurityAdapter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.history.HistoryService;
import io.switchboard.application.port.out.TokenVerifier;
import io.switchboard.adapters.hooks.HttpBackendHooks;
import io.switchboard.application.command.CommandService;
import io.switchboard.application.hooks.HookGate;
import io.switchboard.application.hooks.SubscribeHooks;
import io.switchboard.application.access.AdmissionService;
import io.switchboard.application.hub.AccessChanges;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.presence.PresenceService;
import io.switchboard.application.rooms.RoomMembership;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.rooms.RoomStateService;
import io.switchboard.application.webhook.WebhookCapture;
import io.switchboard.application.limits.ConnectionLimiter;
import io.switchboard.application.publish.PublishService;
import io.switchboard.application.publish.RedactingBus;
import io.switchboard.application.bridge.BusIntake;
import io.switchboard.application.bridge.DomainEventBridge;
import io.switchboard.application.port.in.AdmitConnectionUseCase;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.application.stats.StatsService;
import io.switchboard.application.hub.Ticker;
import io.switchboard.domain.RoomName;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The composition root: builds the hub from settings, starts it, and stops it gracefully. */
final class Switchboard {
    private static final System.Logger LOG = System.getLogger(Switchboard.class.getName());
    private static final long INTAKE_POLL_SECONDS = 5;

    private final WebServer server;
    private final Hub hub;
    private final ExecutorService writers;
    private final ScheduledExecutorService timers;
    private final boolean loopbackPublishOnly;
    private final EventStorage storage;
    private final AuditTrail audit;
    private final HttpBackendHooks backendHooks;
    private volatile boolean stopped;

    private Switchboard(WebServer server, Hub hub, ExecutorService writers, ScheduledExecutorService timers,
                        boolean loopbackPublishOnly, EventStorage storage, AuditTrail audit, HttpBackendHooks backendHooks) {
        this.server = server;
        this.hub = hub;
        this.writers = writers;
        this.timers = timers;
        this.loopbackPublishOnly = loopbackPublishOnly;
        this.storage = storage;
        this.audit = audit;
        this.backendHooks = backendHooks;
    }

    /**
     * Opens the storage ({@code --ephemeral}: memory; else PostgreSQL when {@code hub.db.url} is
     * set; otherwise H2 under {@code hub.data-dir}) and starts the hub on it.
     *
     * @throws EventStorage.UnavailableException when the storage cannot be opened
     */
    static Switchboard start(Settings settings, Clock clock) {
        Settings.Database database = settings.database();
        EventStorage storage = settings.ephemeral() ? EventStorage.inMemory(settings.history(), clock)
                : database.shared() ? EventStorage.postgres(database.url(), database.user(), database.password(), settings.history(), clock,
                        database.maxGroupEvents())
                : EventStorage.h2(settings.dataDir(), settings.history(), clock, database.maxGroupEvents());
        try {
            return start(settings, clock, storage);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static Switchboard start(Settings settings, Clock clock, EventStorage storage) {
        HubMetrics metrics = new HubMetrics();
        // Not inheriting the publisher's inheritable thread-locals: a fan-out starts a writer per idle
        // subscriber, and copying them for each was a large part of its cost in profiles.
        ExecutorService writers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().inheritInheritableThreadLocals(false).factory());
        // Several nodes on one database: each streams every node's audit entries (docs/operations.md).
        AuditTrail audit = storage.auditFeed().map(feed -> new AuditTrail(storage.audit(), feed, clock))
                .orElseGet(() -> new AuditTrail(storage.audit(), clock));
        RoomRules roomRules = new RoomRules(settings.namespaceRooms().mustExist(), settings.namespaceRooms().notFoundMessages(),
                storage.rooms());
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-timers");
            t.setDaemon(true);
            return t;
        });
        RoomAccess access = settings.roomAccess().withMembers(storage.members());
        Hub hub = new Hub(settings.hub(), access, roomRules, storage.states(), audit,
                storage.log(), clock, metrics, writers, settings.delivery(), timers, Ticker.SYSTEM);
        storage.bus().subscribe(hub);
        PresenceService presence = new PresenceService(settings.presence().namespaces(), storage.presence(settings.presence().nodeExpiry()),
                hub);
        presence.start();
        // every publishing path appends through the redacting bus, so redacted fields are never stored nor sent
        EventBus bus = new RedactingBus(storage.bus(), settings.bridge().redaction(), metrics);
        RoomName intakeRoom = settings.bridge().intakeRoom();
        PublishService publish = new PublishService(settings.publish(), bus, storage.receipts(), metrics, roomRules, Set.of(intakeRoom));
        // the bridge's own events may not go to the intake room, or it would feed itself
        Function<EventBus, PublishEventsUseCase> bridgePublish = via -> new PublishService(settings.publish(),
                new RedactingBus(via, settings.bridge().redaction(), metrics), storage.receipts(), metrics, roomRules);
        DomainEventBridge bridge = new DomainEventBridge(settings.bridge().rules(), bridgePublish.apply(storage.bus()), metrics);
        BusIntake intake = new BusIntake(intakeRoom, bridge, bridgePublish, storage.bridgePositions(), storage.log(), metrics, writers);
        storage.bus().subscribe(intake);
        StatsService stats = new StatsService(hub, metrics, clock);

        HttpBackendHooks backendHooks = new HttpBackendHooks();
        HookGate hooks = new HookGate(backendHooks, metrics.hooks(), System::nanoTime);
        SubscribeHooks subscribeHooks = new SubscribeHooks(settings.hooks().namespaces(), hooks);
        hub.checkJoinsWith(subscribeHooks);
        CommandService commands = new CommandService(storage.bus(), clock, settings.hub().inboundMaxBytes(), settings.hooks().namespaces(),
                hooks);
        Optional<TokenVerifier> tokens = settings.auth().enabled()
                ? Optional.of(SecurityAdapter.verifier(settings.auth().jwks(), settings.auth().rules(), clock))
                : Optional.empty();
        EndpointAuthenticator auth = new EndpointAuthenticator(tokens, settings.auth().cookie());
        ApiCredentials credentials = new ApiCredentials(settings.apiKeys(), tokens);

        ConnectionLimiter limiter = new ConnectionLimiter(settings.limits(), hub, audit, storage.ledger());
        AdmitConnectionUseCase admissions = new AdmissionService(hub, auth, credentials, limiter, audit, settings.hooks().connect(),
                hooks);

        HttpRouting.Builder http = HttpRouting.builder();
        AccessChanges accessChanges = new AccessChanges(storage.bus());
        HttpAdapter.register(http, hub, publish, commands, stats, metrics, credentials, audit,
                new RoomMembership(storage.members(), accessChanges), roomRules,
                new RoomStateService(storage.states(), storage.log()),
                new WebhookCapture(settings.webhooks().namespace(), storage.rooms(), bus, metrics, clock),
                settings.bodies(), bridge, accessChanges, presence);
        HttpAdapter.registerHistory(http, new HistoryService(storage.log(), storage.states(), access, roomRules, auth, audit,
                subscribeHooks),
                credentials, auth);
        SseAdapter.register(http, hub, admissions, auth, limiter, credentials, audit, settings.sse(), settings.sseEndpoints(), clock);
        WsRouting.Builder ws = WsRouting.builder();
        WebSocketAdapter.register(ws, hub, admissions, commands, auth, limiter, audit, settings.websocket(), clock, credentials,
                settings.wsEndpoints(), presence);
        WebSocketAdapter.registerSocketIo(ws, http, hub, admissions, auth, settings.socketIo(), clock, presence);

        Duration heartbeatSpan = settings.hub().heartbeatInterval().plus(settings.hub().heartbeatTimeout());
        // Helidon leaves Nagle's algorithm on for accepted sockets: a small frame written while an
        // earlier one is unacknowledged waits for the client's (possibly delayed) ACK.
        AbandonedHeads.install();
        SocketGate sockets = new SocketGate(SocketOptions.builder().tcpNoDelay(true).build(), settings.sockets().maxSockets(),
                settings.sockets().handshakeTimeout(), metrics);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                // no route reads more; the routes refuse what is beyond their own limits before parsing it
                .maxPayloadSize(settings.bodies().largest())
                .connectionOptions(sockets)
                .addProtocol(Http1Config.builder().addReceiveListener(sockets).build())
                // Blocking sockets, not NIO channels (Helidon's default since 4.4.0): measured in
                // docs/benchmarks.md ("Helidon 4.5.0"), a NIO socket holds two fixed 8 KiB buffers per
                // connection where a blocking one holds one, and cuts every write into 8 KiB pieces.
                .useNio(false)
                // Helidon answers malformed requests with an empty body unless told otherwise; the hub's
                // direct handler turns the message into its JSON error body.
                .errorHandling(errors -> errors.includeEntity(true))
                .idleConnectionTimeout(max(Duration.ofMinutes(5), heartbeatSpan.multipliedBy(2)))
                .directHandlers(handlers -> {
                    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
                        handlers.addHandler(type, HttpAdapter.errorHandler());
                    }
                })
                .routing(http)
                .addRouting(ws)
                // with TLS the port speaks only TLS: https:// and wss://; a plain request fails its handshake
                .update(builder -> settings.tls().ifPresent(context -> builder.tls(Tls.builder().sslContext(context).build())))
                .build()
                .start();

        long tick = hub.heartbeatTickMillis();
        timers.scheduleAtFixedRate(guarded(hub::heartbeat), tick, tick, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(guarded(stats::sample), 1, 1, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(guarded(limiter::sweep), 10, 10, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(guarded(sockets::sweep), 1, 1, TimeUnit.SECONDS);
        // at start: what arrived while no node ran; then now and then, in case a notification was missed
        intake.wake();
        timers.scheduleAtFixedRate(guarded(intake::wake), INTAKE_POLL_SECONDS, INTAKE_POLL_SECONDS, TimeUnit.SECONDS);
        long statsMs = settings.statsInterval().toMillis();
        timers.scheduleAtFixedRate(guarded(stats::broadcast), statsMs, statsMs, TimeUnit.MILLISECONDS);
        for (WebSocketEndpoint endpoint : settings.wsEndpoints()) {
            if (endpoint.statsInterval() != null) {
                long ms = endpoint.statsInterval().toMillis();
                timers.scheduleAtFixedRate(guarded(() -> stats.pushToEndpoint(endpoint.path())), ms, ms, TimeUnit.MILLISECONDS);
            }
        }
        return new Switchboard(server, hub, writers, timers, credentials.loopbackOnly(), storage, audit, backendHooks);
    }

    int port() {
        return server.port();
    }

    boolean loopbackPublishOnly() {
        return loopbackPublishOnly;
    }

    /** Where events are kept, e.g. {@code H2 file ./data/switchboard.mv.db}. */
    String storage() {
        return storage.description();
    }

    /**
     * Tells every client {@code disconnect}, closes them with 1001, stops the server, then closes the
     * storage; logs a line when it starts and one when it is done, every connection's close line between.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long started = System.nanoTime();
        // built as text: MessageFormat would group the digits of numbers (7,968)
        LOG.log(System.Logger.Level.INFO, "shutdown started connections=" + hub.connections().size()
                + " grace_ms=" + hub.settings().shutdownGrace().toMillis());
        Hub.Shutdown shutdown = hub.shutdown();
        server.stop();
        int late = hub.cutOffRemaining();
        timers.shutdownNow();
        writers.shutdownNow();
        backendHooks.close();
        audit.close();
        storage.close();
        LOG.log(System.Logger.Level.INFO, "shutdown complete connections_closed=" + (shutdown.connections() + late)
                + " cut_off=" + (shutdown.cutOff() + late) + " duration_ms=" + (System.nanoTime() - started) / 1_000_000);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "periodic task failed", e);
            }
        };
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

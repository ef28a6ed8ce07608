package io.switchboard.application.hub;

import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.StateStore;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.port.RoomState;
import io.switchboard.domain.CloseCode;
import io.switchboard.domain.ConnectionId;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.RoomName;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local hub: this node's connections and the rooms they joined. It hears every event from
 * the bus and hands it to each subscriber's queue without waiting on any client.
 */
public final class Hub implements EventBus.EventListener {
    /** The room where {@code stats_update} is pushed. */
    public static final RoomName STATS_ROOM = new RoomName("$stats");
    private static final System.Logger LOG = System.getLogger(Hub.class.getName());
    private static final long SHUTDOWN_RETRY_SPREAD_MS = 5_000;

    private final HubSettings settings;
    private final RoomAccess access;
    private final RoomRules roomRules;
    private final StateStore states;
    private final AuditRecorder audit;
    private final EventLog log;
    private final Clock clock;
    private final HubMetrics metrics;
    private final Executor writers;
    private final Ticker ticker;
    private final Map<ConnectionId, Connection> connections = new ConcurrentHashMap<>();
    /** Connections whose close frame the hub wrote, until their transport ends: the time their socket is cut. */
    private final Map<Connection, Long> lingering = new ConcurrentHashMap<>();
    private final RoomRegistry rooms = new RoomRegistry();
    private final ReplayDeliveries replays = new ReplayDeliveries(16_384);
    private final DeliveryRules delivery;
    private final Throttling throttling;
    private final HeardRuns heard;
    private volatile long nextSweepNanos;
    private volatile boolean accepting = true;
    private volatile JoinCheck joinCheck = JoinCheck.NONE;
    private volatile MemberWatch watch = MemberWatch.NONE;

    public Hub(HubSettings settings, RoomAccess access, RoomRules roomRules, StateStore states, AuditRecorder audit, EventLog log,
               Clock clock, HubMetrics metrics, Executor writers) {
        this(settings, access, roomRules, states, audit, log, clock, metrics, writers, DeliveryRules.defaults(), null, Ticker.SYSTEM);
    }

    /**
     * @param delivery throttling, acknowledgements and the idle timeout
     * @param timer    where throttle windows end; may be {@code null} when no namespace is throttled
     * @param ticker   the monotonic time of heartbeats, timeouts, rate limits and throttle windows
     */
    public Hub(HubSettings settings, RoomAccess access, RoomRules roomRules, StateStore states, AuditRecorder audit, EventLog log,
               Clock clock, HubMetrics metrics, Executor writers, DeliveryRules delivery, ScheduledExecutorService timer,
               Ticker ticker) {
        this.delivery = delivery;
        this.ticker = ticker;
        this.throttling = new Throttling(delivery, timer, metrics, this::fanOut, ticker);
        this.settings = settings;
        this.access = access;
        this.roomRules = roomRules;
        this.states = states;
        this.audit = audit;
        this.log = log;
        this.clock = clock;
        this.metrics = metrics;
        this.writers = writers;
        // A connection's seen moment is at most one ping interval plus two timeouts old while it is open
        // (see Connection#pongReceived); beyond that its heartbeat has failed anyway.
        this.heard = new HeardRuns(settings.heartbeatInterval().plus(settings.heartbeatTimeout().multipliedBy(2)).plusSeconds(5));
    }

    /** Asks {@code check} (the namespaces' subscribe hooks, SPEC 16) before a client's join or sync; set once, while wiring. */
    public void checkJoinsWith(JoinCheck check) {
        this.joinCheck = check;
    }

    public HubSettings settings() {
        return settings;
    }

    /** Who is told when a connection becomes a member of a room and stops being one (presence). */
    public interface MemberWatch {
        MemberWatch NONE = new MemberWatch() {
            @Override
            public void entered(Connection connection, RoomName room) {
            }

            @Override
            public void exited(Connection connection, RoomName room) {
            }
        };

        /** {@code connection} joined {@code room} (once per membership: a repeated join of the same room is not told). */
        void entered(Connection connection, RoomName room);

        /** {@code connection} is no longer in {@code room}: it left, its access was revoked, or it closed; once per membership. */
        void exited(Connection connection, RoomName room);
    }

    /** Sets who hears of memberships; call before the first connection opens. */
    public void watchMembers(MemberWatch members) {
        this.watch = members;
    }

    /** Why {@code principal} may not join {@code room}, or {@code null}; for transports that check before connecting. */
    public String denial(Principal principal, RoomName room) {
        return access.denial(principal, room);
    }

    /** Whether {@code room} has as many local members as {@code hub.limits.per-room} allows; for checks before connecting. */
    public boolean full(RoomName room) {
        return full(room, settings.maxConnectionsPerRoom());
    }

    /** Whether {@code room} has {@code limit} local members already (0: no limit); an endpoint may set its rooms' own. */
    public boolean full(RoomName room, int limit) {
        return limit > 0 && rooms.size(room) >= limit;
    }

    /** False once shutdown began: transports answer new clients with 503. */
    public boolean accepting() {
        return accepting;
    }

    /** Registers a new client and sends it {@code connected}; its writer runs on the hub's writer threads. */
    public Connection open(ConnectionSpec spec, FrameSink sink, MessageRenderer renderer) {
        return open(spec, sink, renderer, writers);
    }

    /**
     * Registers a new client whose writer runs on {@code writer} — for transports that must write
     * from one particular thread (an SSE response is written by its request's handler thread).
     */
    public Connection open(ConnectionSpec spec, FrameSink sink, MessageRenderer renderer, Executor writer) {
        return open(spec, sink, renderer, writer, List.of(), settings.maxConnectionsPerRoom());
    }

    /**
     * Registers a new client of an endpoint that joins it to {@code rooms} on connect: {@code connected}
     * lists them, and they are joined without a {@code joined} each (nothing a dialect's client expects).
     * A room the client may not enter gets the usual {@code error}.
     */
    public Connection open(ConnectionSpec spec, FrameSink sink, MessageRenderer renderer, List<String> rooms) {
        return open(spec, sink, renderer, writers, rooms, settings.maxConnectionsPerRoom());
    }

    /** Like {@link #open(ConnectionSpec, FrameSink, MessageRenderer, List)}, with the endpoint's own limit of members of {@code rooms}. */
    public Connection open(ConnectionSpec spec, FrameSink sink, MessageRenderer renderer, List<String> rooms, int roomLimit) {
        return open(spec, sink, renderer, writers, rooms, roomLimit);
    }

    /**
     * Registers a client whose transport is not open yet (a WebSocket upgrade before its {@code 101} is
     * written) and joins it to {@code rooms} now, so that every event published once the client can see
     * that it is open reaches it (SPEC 13). Its writer waits, queueing {@code connected} and whatever
     * arrives, until the transport calls {@link Connection#transportOpened()}; if the transport never
     * opens, it calls {@link Connection#transportClosed(int)}.
     */
    public Connection openBeforeTransport(ConnectionSpec spec, FrameSink sink, MessageRenderer renderer, List<String> rooms,
                                          int roomLimit) {
        return register(spec, sink, renderer, writers, rooms, roomLimit);
    }

    private Connection open(ConnectionSpec spec, FrameSink sink, MessageRenderer renderer, Executor writer, List<String> rooms,
                            int roomLimit) {
        Connection connection = register(spec, sink, renderer, writer, rooms, roomLimit);
        connection.transportOpened();
        return connection;
    }

    /** Registers the client, queues {@code connected} and joins {@code rooms}; its writer is held until the transport is open. */
    private Connection register(ConnectionSpec spec, FrameSink sink, MessageRenderer renderer, Executor writer, List<String> rooms,
                                int roomLimit) {
        Connection connection = new Connection(spec, clock.instant(), sink, renderer, settings, metrics, writer, new Events(), delivery,
                ticker);
        connections.put(connection.id(), connection);
        audit.record("connection.opened", connection, "ok", null, spec.transport());
        LOG.log(System.Logger.Level.INFO, "connection opened id={0} ip={1} endpoint={2} transport={3}",
                connection.id(), spec.remoteIp(), spec.endpoint(), spec.transport());
        connection.send(new Outbound.Connected(connection.id().value(), connection.userId(), List.copyOf(rooms),
                settings.heartbeatInterval().toMillis(), settings.heartbeatTimeout().toMillis()));
        if (renderer.announcesConnectionState()) {
            connection.send(new Outbound.ConnectionState("connected", "Connection established successfully"));
        }
        if (!accepting) {
            connection.close(CloseCode.GOING_AWAY, "server shutting down", true, retryAfterMs(), false);
        }
        joinOnConnect(connection, rooms, roomLimit);
        return connection;
    }

    /**
     * Joins {@code rooms} the way an endpoint's rooms are joined on connect: no {@code joined} each, live
     * from now (a Socket.IO client's rooms from its connect hook, joined before its namespace connect answer).
     */
    public void joinOnConnect(Connection connection, List<String> rooms) {
        joinOnConnect(connection, rooms, settings.maxConnectionsPerRoom());
    }

    private void joinOnConnect(Connection connection, List<String> rooms, int roomLimit) {
        for (String roomText : rooms) {
            RoomName room = admissible(connection, "join", roomText, null);
            if (room != null) {
                subscribe(connection, room, null, null, false, true, roomLimit, -1);
            }
        }
    }

    /**
     * From now on, a {@code join} of {@code connection} without {@code since} starts where the client
     * provably was when it sent it, not where the room is when the hub reads it (SPEC 13). Call it just
     * before queueing the message the client observes as "open" (Socket.IO's namespace connect answer,
     * on which socket.io-client fires {@code connect}): a client can only send its join after seeing
     * that message, so every event whose publish began after the client emitted the join began after
     * this moment, and is delivered, even when the hub hears it before it reads the join. Each ping the
     * client answers later moves the start forward to the moment that ping was queued, so the events
     * published before the join that it also gets (after {@code joined}, whose {@code lastId} says where
     * it starts) are at most about one heartbeat interval old; a room it left or is in already starts no
     * earlier than what it was sent there.
     */
    public void startJoinsWhereSeen(Connection connection) {
        connection.seenAt(heard.moment());
    }

    /**
     * Joins {@code roomText}; with {@code sinceText}, replays exactly the events after it first, or
     * says why it cannot ({@code recovered:false}). Bad input gets an {@code error}; the connection stays.
     */
    public void join(Connection connection, String roomText, String sinceText, String ref) {
        join(connection, roomText, sinceText, ref, settings.maxConnectionsPerRoom());
    }

    /** Like {@link #join(Connection, String, String, String)} into a room of an endpoint with its own limit of members (0: none). */
    public void join(Connection connection, String roomText, String sinceText, String ref, int roomLimit) {
        RoomName room = admissible(connection, "join", roomText, ref);
        if (room == null) {
            return;
        }
        EventId since = null;
        if (sinceText != null) {
            try {
                since = EventId.parse(sinceText);
            } catch (IllegalArgumentException e) {
                reject(connection, ErrorCode.MESSAGE_INVALID, "join: since must be an event id (a decimal number)", ref);
                return;
            }
        }
        if (hookRefuses(connection, room, ref)) {
            return;
        }
        subscribe(connection, room, since, ref, false, false, roomLimit, connection.seenMoment());
    }

    /**
     * Sends the room's state document ({@code state {room, state, lastId}}), then the events after it,
     * then live events: a whole picture without a gap (SPEC 4, seed 001's {@code request.state}).
     */
    public void sync(Connection connection, String roomText, String ref) {
        RoomName room = admissible(connection, "sync", roomText, ref);
        if (room != null && !hookRefuses(connection, room, ref)) {
            subscribe(connection, room, null, ref, true, false, settings.maxConnectionsPerRoom(), -1);
        }
    }

    /**
     * Joins one of the hub's own rooms (e.g. {@code $commands}) for a client its adapter has
     * already authorised; otherwise like {@link #join}.
     */
    public void joinReserved(Connection connection, RoomName room, String sinceText) {
        subscribe(connection, room, sinceText == null ? null : EventId.parse(sinceText), null, false, false,
                settings.maxConnectionsPerRoom(), -1);
    }

    /**
     * Asks the {@link JoinCheck} (the subscribe hook of the room's namespace) whether the client may join a
     * room it is not in yet; a refusal is audited and answered with its code and message.
     */
    private boolean hookRefuses(Connection connection, RoomName room, String ref) {
        if (connection.inRoom(room)) {
            return false;
        }
        JoinCheck.Refusal refusal = joinCheck.refusal(connection, room);
        if (refusal == null) {
            return false;
        }
        audit.record("authz.denied", connection, "denied", room.value(), "subscribe hook: " + refusal.code());
        connection.send(new Outbound.Error(refusal.code(), refusal.message(), ref));
        return true;
    }

    /** The room named by a client, if it may enter it; otherwise tells the client why and returns {@code null}. */
    private RoomName admissible(Connection connection, String verb, String roomText, String ref) {
        String problem = RoomName.problemWith(roomText);
        if (problem != null) {
            reject(connection, ErrorCode.MESSAGE_INVALID, verb + ": " + problem, ref);
            return null;
        }
        RoomName room = new RoomName(roomText);
        if (room.reserved() && !room.equals(STATS_ROOM)) {
            reject(connection, ErrorCode.FORBIDDEN, verb + ": room " + room + " is reserved for the hub", ref);
            return null;
        }
        String denial = access.denial(connection.principal(), room);
        if (denial != null) {
            audit.record("authz.denied", connection, "denied", room.value(), denial);
            reject(connection, ErrorCode.FORBIDDEN, verb + ": " + denial, ref);
            return null;
        }
        String missing = roomRules.missing(room);
        if (missing != null) {
            reject(connection, ErrorCode.ROOM_NOT_FOUND, missing, ref);
            return null;
        }
        return room;
    }

    /**
     * @param quiet joined on connect: no {@code joined} answer
     * @param seen  for a join without {@code since}: the moment the client was last known to have seen
     *              (see {@link #startJoinsWhereSeen}), or -1 to start where the room is now
     */
    private void subscribe(Connection connection, RoomName room, EventId since, String ref, boolean sync, boolean quiet, int roomLimit,
                           long seen) {
        Map<RoomName, Subscription> joined = connection.subscriptions();
        if (!joined.containsKey(room) && joined.size() >= settings.maxRoomsPerConnection()) {
            reject(connection, ErrorCode.SUBSCRIPTION_FAILED,
                    "join: a connection may be in at most " + settings.maxRoomsPerConnection() + " rooms", ref);
            return;
        }
        Subscription subscription = new Subscription(connection, room);
        Subscription previous = joined.put(room, subscription);
        long sent = connection.leftAt(room);
        if (previous != null) {
            rooms.remove(previous);
            sent = Math.max(sent, previous.lastSent());
        }
        if (!rooms.add(subscription, roomLimit)) {
            joined.remove(room, subscription);
            audit.record("limit.rejected", connection, "room full", room.value(), null);
            reject(connection, ErrorCode.CONNECTION_LIMIT, "room " + room + " is full: at most " + roomLimit + " connections", ref);
            return;
        }
        if (!connection.open()) {
            rooms.remove(subscription);
            return;
        }
        if (previous == null) {
            watch.entered(connection, room);
        }
        audit.record("room.joined", connection, sync ? "sync" : since == null ? "live" : "resume", room.value(), null);
        if (room.equals(STATS_ROOM)) {
            subscription.start(quiet ? List.of() : List.of(new Outbound.Joined(room.value(), null, null, null, null)), List.of(), -1);
        } else if (sync) {
            startFromState(subscription);
        } else if (since == null && seen >= 0 && !room.reserved()) {
            startWhereSeen(subscription, seen, sent);
        } else if (since == null) {
            Optional<EventId> last = log.lastId(room);
            subscription.start(quiet ? List.of() : List.of(new Outbound.Joined(room.value(), null, wire(last), null, null)),
                    List.of(), position(last));
        } else {
            startFrom(subscription, since);
        }
    }

    /**
     * Starts a join at the room's position at moment {@code seen} (see {@link #startJoinsWhereSeen}), and
     * not before {@code sent}, the last id the connection was sent in the room: {@code joined} with that
     * position as {@code lastId}, the events after it, then live. Registered before anything is read,
     * like every subscription. Where the moment is no longer known, or its events no longer held, it
     * starts where the room is now.
     */
    private void startWhereSeen(Subscription subscription, long seen, long sent) {
        RoomName room = subscription.room();
        Optional<EventId> last = log.lastId(room);
        long position = heard.positionAt(room, seen); // read after lastId: NOTHING_SINCE then covers every id up to it
        if (position == HeardRuns.NOTHING_SINCE) {
            // Every event of the room this node heard, it heard before the moment; whatever it hears from
            // now on is newer (on a shared database, possibly an id up to `last` it has not heard yet).
            subscription.start(List.of(new Outbound.Joined(room.value(), null, wire(last), null, null)), List.of(), sent);
            return;
        }
        long start = Math.max(position, sent);
        if (position != HeardRuns.UNKNOWN && last.isPresent() && start >= 0 && start < last.get().value()
                && log.readSince(room, new EventId(start)) instanceof Replay.Gap gap) {
            subscription.start(List.of(new Outbound.Joined(room.value(), null, String.valueOf(start), null, null)),
                    replays.of(gap.events()), gap.lastId().map(EventId::value).orElse(start));
            return;
        }
        subscription.start(List.of(new Outbound.Joined(room.value(), null, wire(last), null, null)), List.of(),
                Math.max(position(last), sent));
    }

    private void startFromState(Subscription subscription) {
        RoomName room = subscription.room();
        Optional<RoomState> state = states.get(room);
        if (state.isPresent() && log.readSince(room, state.get().lastId()) instanceof Replay.Gap gap) {
            subscription.start(List.of(stateOf(state.get())), replays.of(gap.events()), gap.lastId().map(EventId::value).orElse(state.get().lastId().value()));
            return;
        }
        Optional<EventId> last = log.lastId(room);
        String document = state.map(RoomState::state).orElse("null");
        subscription.start(List.of(new Outbound.State(room.value(), document, wire(last))), List.of(), position(last));
    }

    private void startFrom(Subscription subscription, EventId since) {
        String room = subscription.room().value();
        switch (log.readSince(subscription.room(), since)) {
            case Replay.Gap gap -> subscription.start(List.of(new Outbound.Joined(room, true, wire(gap.lastId()), null, null)),
                    replays.of(gap.events()), gap.lastId().map(EventId::value).orElse(since.value()));
            case Replay.Lost lost -> {
                List<Outbound> answers = new java.util.ArrayList<>();
                answers.add(new Outbound.Joined(room, false, wire(lost.lastId()), lost.reason().wireName(), wire(lost.oldestId())));
                states.get(subscription.room()).ifPresent(state -> answers.add(stateOf(state)));
                subscription.start(answers, List.of(), position(lost.lastId()));
            }
        }
    }

    private static Outbound.State stateOf(RoomState state) {
        return new Outbound.State(state.room().value(), state.state(), state.lastId().toString());
    }

    /**
     * Ends every local subscription to {@code room} that the access rules now refuse (SPEC 14): a member
     * removed, a declared room deleted. Each such client gets {@code left {room, reason}} and nothing
     * more of the room.
     */
    public void recheck(RoomName room) {
        for (Subscription subscription : rooms.members(room)) {
            revokeIfRefused(subscription);
        }
    }

    /** Replaces the connection's token, then ends the subscriptions the new token no longer grants. */
    public void refresh(Connection connection, Principal principal) {
        connection.refresh(principal);
        for (Subscription subscription : List.copyOf(connection.subscriptions().values())) {
            revokeIfRefused(subscription);
        }
    }

    private void revokeIfRefused(Subscription subscription) {
        RoomName room = subscription.room();
        Connection connection = subscription.connection();
        if (room.reserved()) {
            return; // the hub's own rooms are granted by their adapters, not by the room rules
        }
        ErrorCode reason = access.denial(connection.principal(), room) != null ? ErrorCode.FORBIDDEN
                : roomRules.missing(room) != null ? ErrorCode.ROOM_NOT_FOUND : null;
        if (reason == null || !connection.subscriptions().remove(room, subscription)) {
            return;
        }
        rooms.remove(subscription);
        watch.exited(connection, room);
        connection.left(room, subscription.lastSent());
        connection.forgetAcks(room);
        audit.record("room.revoked", connection, reason.name(), room.value(), null);
        LOG.log(System.Logger.Level.INFO, "subscription revoked id={0} room={1} reason={2}", connection.id(), room, reason);
        connection.send(new Outbound.Left(room.value(), reason.name()));
        if (connection.spec().transport().equals("sse") && connection.subscriptions().isEmpty()) {
            // A stream cannot leave a room and stay useful: it ends, and the EventSource's reconnect is refused.
            connection.close(CloseCode.FORBIDDEN, "access to the stream's rooms was revoked", false, null, false);
        }
    }

    public void leave(Connection connection, String roomText, String ref) {
        String problem = RoomName.problemWith(roomText);
        if (problem != null) {
            reject(connection, ErrorCode.MESSAGE_INVALID, "leave: " + problem, ref);
            return;
        }
        RoomName room = new RoomName(roomText);
        Subscription subscription = connection.subscriptions().remove(room);
        if (subscription == null) {
            reject(connection, ErrorCode.MESSAGE_INVALID, "leave: not in room " + room, ref);
            return;
        }
        rooms.remove(subscription);
        watch.exited(connection, room);
        connection.left(room, subscription.lastSent());
        connection.forgetAcks(room);
        audit.record("room.left", connection, "ok", room.value(), null);
        connection.send(new Outbound.Left(room.value()));
    }

    /** Counts a client message that could not be understood and tells the client why. */
    public void reject(Connection connection, ErrorCode code, String message, String ref) {
        if (code == ErrorCode.MESSAGE_INVALID) {
            metrics.invalidInput();
        }
        connection.send(new Outbound.Error(code, message, ref));
    }

    /**
     * Acknowledges a critical event ({@code ack {id, room?}}); an ack of an event not waiting for one
     * (already acknowledged, given up, never critical) is ignored, since a client may ack a re-send twice.
     */
    public void ack(Connection connection, String roomText, String idText, String ref) {
        EventId id;
        try {
            id = EventId.parse(idText);
        } catch (IllegalArgumentException e) {
            reject(connection, ErrorCode.MESSAGE_INVALID, "ack needs data.id, the id of the critical event (a decimal number)", ref);
            return;
        }
        if (roomText != null && RoomName.problemWith(roomText) != null) {
            reject(connection, ErrorCode.MESSAGE_INVALID, "ack: " + RoomName.problemWith(roomText), ref);
            return;
        }
        connection.acknowledge(roomText == null ? null : new RoomName(roomText), id);
    }

    @Override
    public void onEvent(Event event) {
        if (event.room().equals(AccessChanges.ROOM)) {
            recheck(AccessChanges.roomOf(event));
            return;
        }
        if (!event.room().reserved()) {
            heard.heard(List.of(event));
        }
        throttling.offer(event);
    }

    @Override
    public void onEvents(List<Event> run) {
        if (run.getFirst().room().equals(AccessChanges.ROOM)) {
            run.forEach(this::onEvent);
            return;
        }
        if (!run.getFirst().room().reserved()) {
            heard.heard(run); // before the fan-out: a join that reads it later knows the run reached its room
        }
        throttling.offer(run);
    }

    /**
     * Hands live events, a run of consecutive ones of one room (after throttling), to every local
     * subscriber of the room: one offer per subscriber for the whole run.
     */
    private void fanOut(List<Event> run) {
        // Real time, not the ticker: it starts the delivery latency that HubMetrics ends on System.nanoTime().
        long now = System.nanoTime();
        List<Delivery> deliveries = new ArrayList<>(run.size());
        for (Event event : run) {
            deliveries.add(new Delivery(event, now, true));
        }
        for (Subscription subscription : rooms.members(run.getFirst().room())) {
            subscription.offerLive(deliveries);
        }
    }

    /** Sends a message that is not part of any room's history (e.g. {@code stats_update}) to a room's members. */
    public void broadcast(RoomName room, Outbound message) {
        for (Subscription subscription : rooms.members(room)) {
            subscription.connection().send(message);
        }
    }

    /** Sends a message that is not part of any room's history to a room's members except the connection {@code except}. */
    public void broadcastExcept(RoomName room, Outbound message, String except) {
        for (Subscription subscription : rooms.members(room)) {
            Connection member = subscription.connection();
            if (!member.id().value().equals(except)) {
                member.send(message);
            }
        }
    }

    /** The local connection with this id, if it is open. */
    public Optional<Connection> connection(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Connection connection = connections.get(new ConnectionId(id));
        return connection != null && connection.open() ? Optional.of(connection) : Optional.empty();
    }

    public Collection<Connection> connections() {
        return connections.values();
    }

    public int activeRooms() {
        return rooms.activeRooms();
    }

    /**
     * Sends pings, closes clients that stopped answering, went idle or whose writers cannot finish,
     * re-sends unacknowledged critical events, and releases throttled events whose timer was missed. Call periodically.
     */
    public void heartbeat() {
        throttling.sweep();
        long now = ticker.nanos();
        if (now - nextSweepNanos >= 0) {
            nextSweepNanos = now + 1_000_000_000L;
            heard.sweep();
        }
        cutLingering(now);
        Instant wallClock = clock.instant();
        for (Connection connection : connections.values()) {
            try {
                connection.heartbeat(now, wallClock);
            } catch (RuntimeException e) {
                // One broken transport must not stop the heartbeat of every other connection.
                LOG.log(System.Logger.Level.WARNING, "heartbeat of " + connection + " failed; closing it", e);
                connection.transportClosed(1011);
            }
        }
    }

    /** How often {@link #heartbeat()} should run to honour the configured interval and timeout. */
    public long heartbeatTickMillis() {
        long shortest = Math.min(Math.min(settings.heartbeatInterval().toMillis(), settings.heartbeatTimeout().toMillis()),
                delivery.shortestTimer().toMillis());
        return Math.max(20, Math.min(1000, shortest / 4));
    }

    /**
     * Stops accepting clients, tells every client {@code disconnect} (reconnect, with a spread
     * {@code retryAfterMs}) and closes with 1001; returns when all are closed or, once 80% of the
     * grace period is spent, after cutting off the rest. Either way every connection's close line has
     * been logged when it returns.
     */
    public Shutdown shutdown() {
        accepting = false;
        // Real time, not the ticker: this waits for the clients by sleeping.
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos() * 8 / 10;
        int open = connections.size();
        for (Connection connection : connections.values()) {
            connection.close(CloseCode.GOING_AWAY, "server shutting down", true, retryAfterMs(), false);
        }
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Shutdown(open, cutOffRemaining());
    }

    /** What {@link #shutdown()} did: the connections it closed, of which {@code cutOff} did not close in time. */
    public record Shutdown(int connections, int cutOff) {
    }

    /**
     * Ends every connection still registered at once, each with its close line (a client whose
     * upgrade finished while the server stopped): the process is about to exit.
     *
     * @return how many there were
     */
    public int cutOffRemaining() {
        int cut = 0;
        for (Connection connection : connections.values()) {
            if (connection.cutOff()) {
                cut++;
            }
        }
        return cut;
    }

    /** What connections tell the hub about their lives. */
    private final class Events implements Connection.ConnectionEvents {
        @Override
        public void closed(Connection connection, int code) {
            Hub.this.closed(connection, code);
        }

        @Override
        public void rateLimited(Connection connection, boolean closing) {
            audit.record("rate.limited", connection, closing ? "closed" : "refused", null, null);
        }

        @Override
        public void evicted(Connection connection, String reason) {
            audit.record("limit.evicted", connection, String.valueOf(CloseCode.EVICTED), null, reason);
            connection.close(CloseCode.EVICTED, reason, false, null, true);
        }

        @Override
        public long moment() {
            return heard.moment();
        }

        @Override
        public void closeWritten(Connection connection) {
            if (!connection.transportEnded()) {
                lingering.put(connection, ticker.nanos() + settings.closeGrace().toNanos());
            }
        }
    }

    /**
     * Cuts the sockets of clients that did not answer the hub's close frame within the close grace: the
     * connection is over (counted, freed), but without this its socket, reader and buffers would stay until
     * the client answered, if ever.
     */
    private void cutLingering(long now) {
        for (Map.Entry<Connection, Long> entry : lingering.entrySet()) {
            Connection connection = entry.getKey();
            if (connection.transportEnded()) {
                lingering.remove(connection);
            } else if (now - entry.getValue() >= 0) {
                connection.cutLingeringSocket();
                lingering.remove(connection);
            }
        }
    }

    /** The rooms with local subscribers, their subscriber counts and last ids, by name. */
    public List<RoomView> rooms() {
        return rooms.counts().entrySet().stream()
                .map(e -> new RoomView(e.getKey().value(), e.getValue(), wire(e.getKey().reserved() ? Optional.empty() : log.lastId(e.getKey()))))
                .sorted(java.util.Comparator.comparing(RoomView::room))
                .toList();
    }

    /** One room as the admin API lists it. */
    public record RoomView(String room, int subscribers, String lastId) {
    }

    /** The rooms {@code connection} has joined. */
    public List<String> roomsOf(Connection connection) {
        return connection.subscriptions().keySet().stream().map(RoomName::value).sorted().toList();
    }

    /**
     * Disconnects a client for an administrator: {@code disconnect {code: 4500, reconnect: false}} then
     * close 4500 (the 4500–4999 range means "do not reconnect").
     */
    public boolean kick(String connectionId, String byUser) {
        Optional<Connection> target = connection(connectionId);
        target.ifPresent(c -> {
            audit.record("admin.kick", c, "kicked", null, "by " + (byUser == null ? "an administrator" : byUser));
            c.close(CloseCode.KICKED, "disconnected by an administrator", false, null, true);
        });
        return target.isPresent();
    }

    private void closed(Connection connection, int code) {
        audit.record("connection.closed", connection, String.valueOf(code), null, null);
        // logged before it leaves the registry: a shutdown that finds the registry empty has every line
        // (and as plain integers: MessageFormat would group digits, 7,968)
        LOG.log(System.Logger.Level.INFO, "connection closed id={0} ip={1} endpoint={2} duration_ms={3} code={4}",
                connection.id(), connection.spec().remoteIp(), connection.spec().endpoint(),
                String.valueOf(connection.ageNanos(ticker.nanos()) / 1_000_000), String.valueOf(code));
        connections.remove(connection.id());
        for (Subscription subscription : connection.subscriptions().values()) {
            rooms.remove(subscription);
            // removed one by one: a leave racing with the close tells the watch once, not twice
            if (connection.subscriptions().remove(subscription.room(), subscription)) {
                watch.exited(connection, subscription.room());
            }
        }
    }

    private static long retryAfterMs() {
        return ThreadLocalRandom.current().nextLong(SHUTDOWN_RETRY_SPREAD_MS);
    }

    private static String wire(Optional<EventId> id) {
        return id.map(EventId::toString).orElse(null);
    }

    private static long position(Optional<EventId> id) {
        return id.map(EventId::value).orElse(-1L);
    }
}

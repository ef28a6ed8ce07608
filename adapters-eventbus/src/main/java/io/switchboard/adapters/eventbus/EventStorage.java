package io.switchboard.adapters.eventbus;

import io.switchboard.application.limits.LocalConnectionLedger;
import io.switchboard.application.port.out.AuditFeed;
import io.switchboard.application.port.out.AuditLog;
import io.switchboard.application.port.out.BridgePositions;
import io.switchboard.application.port.out.ConnectionLedger;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.application.port.out.PresenceStore;
import io.switchboard.application.port.out.PublishReceipts;
import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.application.port.out.RoomMembers;
import io.switchboard.application.port.out.StateStore;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The storage adapters' entry: the bus, log, idempotency receipts, audit log, room directory,
 * state documents and membership lists of one storage choice. Close it when the hub has stopped,
 * to release what it holds (the database file, or connections and the listening thread).
 */
public final class EventStorage implements AutoCloseable {

    /** Idempotency keys are honoured this long (SPEC 2). */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    /** Audit entries an in-memory store keeps; the oldest leave first. */
    public static final int AUDIT_ENTRIES_IN_MEMORY = 10_000;

    /** Audit entries a database keeps this long; older ones are deleted every few hundred appends. */
    public static final Duration AUDIT_RETENTION = Duration.ofDays(30);

    /** How long a node's connections count against the cluster's per-IP and per-user limits after its last heartbeat. */
    public static final Duration NODE_EXPIRY = Duration.ofSeconds(15);

    /** Most events one database commit takes from concurrent appends (group commit, SPEC 17), unless configured. */
    public static final int MAX_GROUP_EVENTS = 1000;

    private final EventBus bus;
    private final EventLog log;
    private final PublishReceipts receipts;
    private final String description;
    private final AutoCloseable resources;
    private final AuditLog audit;
    private final RoomMembers members;
    private final RoomDirectory rooms;
    private final StateStore states;
    private BridgePositions positions;
    private ConnectionLedger ledger = new LocalConnectionLedger();
    private AuditFeed auditFeed;
    /** Opens the presence store for a node expiry: shared by the nodes on PostgreSQL, else in this process. */
    private PresenceOpener presenceOpener = expiry -> new InMemoryPresence();
    private AutoCloseable presence = () -> { };

    /** How a storage opens its presence store. */
    private interface PresenceOpener {
        PresenceStore open(Duration nodeExpiry) throws SQLException;
    }

    private EventStorage(EventBus bus, EventLog log, PublishReceipts receipts, AuditLog audit, RoomMembers members,
                         RoomDirectory rooms, StateStore states, String description, AutoCloseable resources) {
        this.bus = bus;
        this.log = log;
        this.receipts = receipts;
        this.audit = audit;
        this.members = members;
        this.rooms = rooms;
        this.states = states;
        this.description = description;
        this.resources = resources;
    }

    /** The ports a database keeps besides the event log: audit log, declarations, state documents, memberships. */
    private static <S extends EventBus & EventLog & ClaimedAppends> EventStorage inDatabase(S store, JdbcDatabase database,
                                                                                           JdbcAuditLog audit, Clock clock,
                                                                                           String description, AutoCloseable resources) {
        JdbcRooms rooms = new JdbcRooms(database.client(), database.dialect());
        EventStorage storage = new EventStorage(store, store, new JdbcPublishReceipts(database.client(), IDEMPOTENCY_WINDOW, clock), audit,
                new JdbcRoomMembers(database.client()), rooms, rooms, description, resources);
        storage.positions = new JdbcBridgePositions(database.client(), database.dialect(), store);
        return storage;
    }

    /** Everything in this process's memory: fast, and gone on restart. */
    public static EventStorage inMemory(HistoryRetention retention, Clock clock) {
        InMemoryEventStore store = new InMemoryEventStore(retention, clock);
        InMemoryRooms rooms = new InMemoryRooms();
        EventStorage storage = new EventStorage(store, store, new InMemoryPublishReceipts(IDEMPOTENCY_WINDOW, clock),
                new InMemoryAuditLog(AUDIT_ENTRIES_IN_MEMORY), new InMemoryRoomMembers(), rooms, rooms,
                "in memory (events are lost on restart)", () -> { });
        storage.positions = new InMemoryBridgePositions(store);
        return storage;
    }

    /**
     * The default: an H2 database file in {@code dataDir} (created if missing), its schema brought
     * up to date. Acknowledged events, the audit log, room declarations, state documents and
     * membership lists survive a crash of the process.
     *
     * @throws UnavailableException when the database cannot be opened, e.g. another process uses it
     */
    public static EventStorage h2(Path dataDir, HistoryRetention retention, Clock clock) {
        return h2(dataDir, retention, clock, MAX_GROUP_EVENTS);
    }

    /**
     * {@link #h2(Path, HistoryRetention, Clock)} whose commits take at most {@code maxGroupEvents}
     * events of concurrent appends together.
     */
    public static EventStorage h2(Path dataDir, HistoryRetention retention, Clock clock, int maxGroupEvents) {
        JdbcDatabase database = H2File.open(dataDir);
        try {
            SchemaMigrations.apply(database.client(), database.dialect(), clock);
            JdbcEventStore store = new JdbcEventStore(database.client(), retention, clock, maxGroupEvents);
            return inDatabase(store, database, new JdbcAuditLog(database.client(), database.dialect(), AUDIT_RETENTION, clock),
                    clock, "H2 file " + dataDir.resolve(H2File.FILE_NAME), database);
        } catch (RuntimeException e) {
            database.close();
            throw new UnavailableException("cannot prepare the H2 database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A PostgreSQL database shared by several hubs ("nodes"), its schema brought up to date: the
     * schema {@code currentSchema} names in {@code url}, else the user's default. Every node hears
     * the events any node appends, per room in id order, and the audit entries any node stores.
     *
     * @throws UnavailableException when the database cannot be reached or prepared
     */
    public static EventStorage postgres(String url, String user, String password, HistoryRetention retention, Clock clock) {
        return postgres(url, user, password, retention, clock, MAX_GROUP_EVENTS);
    }

    /**
     * {@link #postgres(String, String, String, HistoryRetention, Clock)} whose commits take at most
     * {@code maxGroupEvents} events of concurrent appends together.
     */
    public static EventStorage postgres(String url, String user, String password, HistoryRetention retention, Clock clock,
                                        int maxGroupEvents) {
        String where = "PostgreSQL " + withoutParameters(url);
        Properties credentials = new Properties();
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        JdbcDatabase database = PostgresDatabase.open(url, credentials);
        PostgresNotifications notifications = null;
        PostgresNotifications auditNotifications = null;
        PostgresConnectionLedger ledger = null;
        try {
            SchemaMigrations.apply(database.client(), database.dialect(), clock);
            String schema = database.client().execute().get("SELECT current_schema() AS name")
                    .map(row -> row.column("name").get(String.class))
                    .orElseThrow();
            EventRows rows = new EventRows(database.client());
            CommittedFeed feed = new CommittedFeed(rows);
            String channel = PostgresNotifications.channel(schema);
            notifications = new PostgresNotifications(url, credentials, channel, "switchboard-pg-listen", feed);
            PostgresEventStore store = new PostgresEventStore(database, retention, clock, feed, channel, maxGroupEvents);
            PostgresNotifications listening = notifications;
            ledger = new PostgresConnectionLedger(database, url, credentials, PostgresNotifications.channel("switchboard_slots:", schema),
                    NODE_EXPIRY);
            PostgresConnectionLedger places = ledger;
            String auditChannel = PostgresNotifications.channel("switchboard_audit:", schema);
            JdbcAuditLog audit = new JdbcAuditLog(database.client(), database.dialect(), AUDIT_RETENTION, clock, auditChannel);
            PostgresAuditFeed auditFeed = new PostgresAuditFeed(audit);
            auditNotifications = new PostgresNotifications(url, credentials, auditChannel, "switchboard-pg-audit", auditFeed);
            PostgresNotifications auditListening = auditNotifications;
            EventStorage storage = inDatabase(store, database, audit, clock, where + " (schema " + schema + ")", () -> {
                try {
                    places.close();
                    listening.close();
                    auditListening.close();
                } finally {
                    database.close();
                }
            });
            storage.ledger = places;
            storage.auditFeed = auditFeed;
            String presenceChannel = PostgresNotifications.channel("switchboard_presence:", schema);
            storage.presenceOpener = expiry -> new PostgresPresence(database, url, credentials, presenceChannel, expiry);
            return storage;
        } catch (SQLException | RuntimeException e) {
            if (ledger != null) {
                ledger.close();
            }
            if (notifications != null) {
                notifications.close();
            }
            if (auditNotifications != null) {
                auditNotifications.close();
            }
            database.close();
            throw new UnavailableException("cannot prepare the event log on " + where + ": " + e.getMessage(), e);
        }
    }

    /** The URL without its {@code ?...} part, which may hold a password. */
    static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    public EventBus bus() {
        return bus;
    }

    public EventLog log() {
        return log;
    }

    public PublishReceipts receipts() {
        return receipts;
    }

    public AuditLog audit() {
        return audit;
    }

    /**
     * On PostgreSQL, the audit entries of every node, for a cluster-wide live audit stream; empty
     * where only this process writes the audit log.
     */
    public Optional<AuditFeed> auditFeed() {
        return Optional.ofNullable(auditFeed);
    }

    public RoomMembers members() {
        return members;
    }

    public RoomDirectory rooms() {
        return rooms;
    }

    public StateStore states() {
        return states;
    }

    /** How far the domain-event bridge has read its intake room; kept with the events, so lost only together with them. */
    public BridgePositions bridgePositions() {
        return positions;
    }

    /**
     * Where the per-IP and per-user connection counts are kept: on PostgreSQL shared by every node
     * (cluster-wide limits); otherwise in this process.
     */
    public ConnectionLedger ledger() {
        return ledger;
    }

    /**
     * Opens where presence is kept (once): on PostgreSQL shared by every node, whose members leave
     * {@code nodeExpiry} (plus a third of it) after its last heartbeat; otherwise in this process.
     *
     * @throws UnavailableException when the database cannot be reached
     */
    public synchronized PresenceStore presence(Duration nodeExpiry) {
        try {
            PresenceStore store = presenceOpener.open(nodeExpiry);
            if (store instanceof AutoCloseable closeable) {
                presence = closeable;
            }
            return store;
        } catch (SQLException e) {
            throw new UnavailableException("cannot open presence on " + description + ": " + e.getMessage(), e);
        }
    }

    /** Where events are kept, for the startup log line. */
    public String description() {
        return description;
    }

    /** Releases the storage; the bus and log must not be used afterwards. */
    @Override
    public void close() {
        try {
            presence.close();
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing storage " + description + " failed: " + e.getMessage(), e);
        }
    }

    /** The storage cannot be opened; the message says why in words an operator can act on. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message);
        }

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

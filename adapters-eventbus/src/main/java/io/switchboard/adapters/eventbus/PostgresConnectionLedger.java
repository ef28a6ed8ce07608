package io.switchboard.adapters.eventbus;

import io.switchboard.application.limits.EvictionChoice;
import io.switchboard.application.port.out.ConnectionLedger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The per-IP and per-user counts of every node on one PostgreSQL database (table
 * {@code connection_slots}, schema postgres/4). An admission is one transaction holding advisory
 * locks on its IP and user keys (always IP first, in separate lock spaces, so two admissions never
 * deadlock): it counts the places of live nodes, marks the places it evicts and notifies their
 * nodes, and inserts its own.
 *
 * <p>Each node refreshes its row in {@code hub_nodes} every {@link #heartbeat} (a third of the
 * expiry); places of a node whose heartbeat is older than the expiry no longer count, and a minute
 * later they are deleted. The node's own thread listens for evictions of its places (with a poll
 * every {@link #EVICTION_POLL} in case a notification is lost) and, with each heartbeat, writes how
 * long its connections have been idle: {@code last_active} of another node's connection is as
 * old as that node's last heartbeat, so evict-oldest-idle across nodes is approximate.
 */
final class PostgresConnectionLedger implements ConnectionLedger, AutoCloseable {
    static final Duration EVICTION_POLL = Duration.ofSeconds(1);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(1);
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);
    private static final int IP_LOCKS = 0x534C_4950;
    private static final int USER_LOCKS = 0x534C_5553;
    private static final System.Logger LOG = System.getLogger(PostgresConnectionLedger.class.getName());

    private final JdbcDatabase database;
    private final String url;
    private final Properties credentials;
    private final String channel;
    private final Duration expiry;
    private final Duration heartbeat;
    private final String nodeId = UUID.randomUUID().toString();
    private final Queue<String> unreleased = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile Node node;
    private volatile boolean closed;
    private volatile Connection listening;

    /** A held place as an admission sees it; equal by slot. */
    private record Place(String slotId, String nodeId, long idleMillis) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Place place && place.slotId.equals(slotId);
        }

        @Override
        public int hashCode() {
            return slotId.hashCode();
        }
    }

    /**
     * Registers this node (a new id on every start) and starts listening for evictions.
     *
     * @param expiry how long a node's places count after its last heartbeat
     * @throws SQLException when the database cannot be reached
     */
    PostgresConnectionLedger(JdbcDatabase database, String url, Properties credentials, String channel, Duration expiry)
            throws SQLException {
        this.database = database;
        this.url = url;
        this.credentials = credentials;
        this.channel = channel;
        this.expiry = expiry;
        this.heartbeat = expiry.dividedBy(3);
        beat();
        this.listening = listen();
        this.thread = Thread.ofPlatform().name("switchboard-pg-slots").daemon().start(this::run);
    }

    /** This process's id among the nodes; for tests. */
    String nodeId() {
        return nodeId;
    }

    @Override
    public void serve(Node served) {
        this.node = served;
    }

    @Override
    public Verdict admit(Claim claim, Limit perIp, Limit perUser) {
        try {
            return database.inTransaction(c -> admit(c, claim, perIp, perUser));
        } catch (SQLException e) {
            throw new IllegalStateException("connection limits: the admission failed on PostgreSQL: " + e.getMessage(), e);
        }
    }

    private Verdict admit(Connection c, Claim claim, Limit perIp, Limit perUser) throws SQLException {
        boolean byUser = claim.userId() != null && perUser.bounded();
        List<Place> victims = new ArrayList<>();
        if (perIp.bounded()) {
            lock(c, IP_LOCKS, claim.ip());
        }
        if (byUser) {
            lock(c, USER_LOCKS, claim.userId());
        }
        if (perIp.bounded() && !EvictionChoice.makeRoom(held(c, "ip", claim.ip()), perIp, victims, this::idle)) {
            return new Verdict.Refused(false);
        }
        if (byUser && !EvictionChoice.makeRoom(held(c, "user_id", claim.userId()), perUser, victims, this::idle)) {
            return new Verdict.Refused(true);
        }
        for (Place victim : victims) {
            try (PreparedStatement mark = c.prepareStatement("UPDATE connection_slots SET evict_requested = TRUE WHERE slot_id = ?")) {
                mark.setString(1, victim.slotId());
                mark.executeUpdate();
            }
            if (!victim.nodeId().equals(nodeId)) {
                // Delivered at commit; the owning node closes the connection and deletes the row.
                query(c, "SELECT pg_notify(?, ?)", channel, victim.nodeId() + " " + victim.slotId());
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO connection_slots (slot_id, node_id, ip, user_id, opened_at, last_active)"
                + " VALUES (?, ?, ?, ?, now(), now())")) {
            insert.setString(1, claim.slotId());
            insert.setString(2, nodeId);
            insert.setString(3, claim.ip());
            insert.setString(4, claim.userId());
            insert.executeUpdate();
        }
        return new Verdict.Admitted(victims.stream().map(Place::slotId).toList());
    }

    private static void lock(Connection c, int space, String key) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, space);
            lock.setString(2, key);
            lock.executeQuery().close();
        }
    }

    /** The places of live nodes under one key, oldest first; places being evicted no longer count. */
    private List<Place> held(Connection c, String column, String key) throws SQLException {
        List<Place> places = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT s.slot_id, s.node_id,"
                + " CAST(EXTRACT(EPOCH FROM (now() - s.last_active)) * 1000 AS BIGINT) AS idle_ms"
                + " FROM connection_slots s JOIN hub_nodes n ON n.node_id = s.node_id"
                + " WHERE s." + column + " = ? AND NOT s.evict_requested AND n.expires_at > now() ORDER BY s.seq")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    places.add(new Place(rows.getString(1), rows.getString(2), rows.getLong(3)));
                }
            }
        }
        return places;
    }

    /** This node's connections: exact; another node's: as of its last heartbeat. */
    private Duration idle(Place place) {
        Node local = node;
        return local != null && place.nodeId().equals(nodeId) ? local.idle(place.slotId()) : Duration.ofMillis(place.idleMillis());
    }

    @Override
    public void release(String slotId) {
        if (closed) {
            return;
        }
        try (Connection c = database.connection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM connection_slots WHERE slot_id = ?")) {
            delete.setString(1, slotId);
            delete.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            // Retried with the next heartbeat: until then the place still counts.
            unreleased.add(slotId);
            LOG.log(System.Logger.Level.WARNING, "connection limits: releasing a place failed, retrying later: " + e.getMessage());
        }
    }

    private void run() {
        long nextBeat = System.nanoTime() + heartbeat.toNanos();
        long nextPoll = System.nanoTime();
        while (!closed) {
            try {
                if (listening == null) {
                    listening = listen();
                    nextPoll = System.nanoTime();
                }
                long now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    pollEvictions();
                    nextPoll = now + EVICTION_POLL.toNanos();
                }
                if (now - nextBeat >= 0) {
                    beat();
                    nextBeat = now + heartbeat.toNanos();
                }
                int wait = (int) Math.max(1, Math.min(nextPoll - now, nextBeat - now) / 1_000_000);
                PGNotification[] notifications = listening.unwrap(PGConnection.class).getNotifications(wait);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        String[] nodeAndSlot = notification.getParameter().split(" ", 2);
                        if (nodeAndSlot.length == 2 && nodeAndSlot[0].equals(nodeId)) {
                            evict(nodeAndSlot[1]);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "connection limits: the node's link to PostgreSQL failed, retrying in "
                        + RECONNECT_AFTER.toMillis() + " ms: " + e.getMessage());
                closeListening();
                pause();
            }
        }
    }

    private void evict(String slotId) {
        Node local = node;
        if (local != null) {
            local.evict(slotId);
        }
    }

    /** Evictions whose notification was lost; unknown slots are ignored by the node. */
    private void pollEvictions() throws SQLException {
        List<String> requested = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement select = c.prepareStatement("SELECT slot_id FROM connection_slots WHERE node_id = ? AND evict_requested")) {
            select.setString(1, nodeId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    requested.add(rows.getString(1));
                }
            }
        }
        requested.forEach(this::evict);
    }

    /** Keeps this node alive, writes its connections' idleness, retries failed releases, forgets dead nodes. */
    void beat() throws SQLException {
        try (Connection c = database.connection()) {
            try (PreparedStatement alive = c.prepareStatement("INSERT INTO hub_nodes (node_id, expires_at)"
                    + " VALUES (?, now() + ? * INTERVAL '1 millisecond')"
                    + " ON CONFLICT (node_id) DO UPDATE SET expires_at = EXCLUDED.expires_at")) {
                alive.setString(1, nodeId);
                alive.setLong(2, expiry.toMillis());
                alive.executeUpdate();
            }
            Node local = node;
            Map<String, Duration> idleness = local == null ? Map.of() : local.idleness();
            if (!idleness.isEmpty()) {
                String[] slots = idleness.keySet().toArray(String[]::new);
                Long[] idle = new Long[slots.length];
                for (int i = 0; i < slots.length; i++) {
                    idle[i] = idleness.get(slots[i]).toMillis();
                }
                try (PreparedStatement touch = c.prepareStatement("UPDATE connection_slots s"
                        + " SET last_active = now() - v.idle_ms * INTERVAL '1 millisecond'"
                        + " FROM unnest(?, ?) AS v(slot_id, idle_ms) WHERE s.slot_id = v.slot_id")) {
                    touch.setArray(1, c.createArrayOf("text", slots));
                    touch.setArray(2, c.createArrayOf("bigint", idle));
                    touch.executeUpdate();
                }
            }
            retryReleases(c);
            String dead = "SELECT node_id FROM hub_nodes WHERE expires_at < now() - " + FORGET_AFTER.toSeconds() + " * INTERVAL '1 second'";
            try (Statement forget = c.createStatement()) {
                forget.executeUpdate("DELETE FROM connection_slots WHERE node_id IN (" + dead + ")");
                forget.executeUpdate("DELETE FROM hub_nodes WHERE node_id IN (" + dead + ")");
            }
        }
    }

    private void retryReleases(Connection c) throws SQLException {
        List<String> retried = new ArrayList<>();
        for (String slot = unreleased.poll(); slot != null; slot = unreleased.poll()) {
            retried.add(slot);
        }
        if (retried.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM connection_slots WHERE slot_id = ANY(?)")) {
            delete.setArray(1, c.createArrayOf("text", retried.toArray(String[]::new)));
            delete.executeUpdate();
        } catch (SQLException e) {
            unreleased.addAll(retried);
            throw e;
        }
    }

    private Connection listen() throws SQLException {
        Connection opened = DriverManager.getConnection(url, credentials);
        try (Statement statement = opened.createStatement()) {
            statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
            return opened;
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
    }

    private static void query(Connection c, String sql, String first, String second) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, first);
            statement.setString(2, second);
            statement.executeQuery().close();
        }
    }

    /** Stops the node's thread and gives up all its places at once. */
    @Override
    public void close() {
        closed = true;
        // Closing the listening connection wakes the thread from its wait for notifications.
        closeListening();
        try {
            thread.join(EVICTION_POLL.multipliedBy(3).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeListening();
        try (Connection c = database.connection();
             PreparedStatement slots = c.prepareStatement("DELETE FROM connection_slots WHERE node_id = ?");
             PreparedStatement self = c.prepareStatement("DELETE FROM hub_nodes WHERE node_id = ?")) {
            slots.setString(1, nodeId);
            slots.executeUpdate();
            self.setString(1, nodeId);
            self.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection limits: could not remove this node's places; they stop counting after "
                    + expiry.toSeconds() + " s: " + e.getMessage());
        }
    }

    private void closeListening() {
        Connection current = listening;
        listening = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the listening connection failed", e);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RECONNECT_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

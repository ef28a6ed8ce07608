package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.PresenceStore;
import io.switchboard.domain.RoomName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence of every node on one PostgreSQL database (tables {@code presence_nodes} and
 * {@code presence_members}, schema postgres/6). Each join and leave is a row inserted or deleted with a
 * {@code NOTIFY} in the same statement's transaction, so every node (this one too) hears it once, after
 * it committed, in commit order.
 *
 * <p>Each node refreshes its row in {@code presence_nodes} every third of {@code expiry} (from its listening
 * thread, which polls every {@link PostgresNotifications#POLL_EVERY}). With the same
 * beat, it deletes the nodes whose row expired together with their members, announcing each leave:
 * whichever node's delete wins takes the rows, so each leave is announced once. A dead node's members
 * therefore leave at most {@code expiry} plus one beat (and one poll) after its last heartbeat, and are no longer
 * listed from the moment its row expired. A node that finds its own row gone (it was paused longer than
 * the expiry) adds its members again, announcing their joins.
 */
final class PostgresPresence implements PresenceStore, AutoCloseable {
    private static final int ROOM_LOCKS = 0x5350_5245;
    private static final System.Logger LOG = System.getLogger(PostgresPresence.class.getName());
    private static final String LIVE = " JOIN presence_nodes n ON n.node_id = m.node_id AND n.expires_at > now()";
    /** The notification of a deleted row: l, room, connection, user ('-' none, '+' before one). */
    private static final String LEAVE_NOTICE = "pg_notify(?, 'l' || chr(9) || room || chr(9) || connection_id || chr(9)"
            + " || COALESCE('+' || user_id, '-'))";

    private final JdbcDatabase database;
    private final String channel;
    private final Duration expiry;
    private final Duration heartbeat;
    private final String nodeId = UUID.randomUUID().toString();
    /** This node's members, to add again should its row have been swept while it was paused. */
    private final Map<List<String>, Member> local = new ConcurrentHashMap<>();
    private final PostgresNotifications notifications;
    private volatile Listener listener;
    private long nextBeat;

    /**
     * Registers this node and starts its heartbeat and its listening for joins and leaves.
     *
     * @param expiry how long a node's members stay after its last heartbeat
     * @throws SQLException when the database cannot be reached
     */
    PostgresPresence(JdbcDatabase database, String url, Properties credentials, String channel, Duration expiry) throws SQLException {
        this.database = database;
        this.channel = channel;
        this.expiry = expiry;
        this.heartbeat = expiry.dividedBy(3);
        beat();
        this.notifications = new PostgresNotifications(url, credentials, channel, "switchboard-pg-presence", new Heartbeat());
    }

    /** The listening thread: hears joins and leaves, and beats when the heartbeat is due (it polls twice a second). */
    private final class Heartbeat implements PostgresNotifications.Receiver {
        @Override
        public void start() {
            nextBeat = System.nanoTime() + heartbeat.toNanos();
        }

        @Override
        public void notified(String payload) {
            hear(payload);
        }

        @Override
        public void poll() {
            long now = System.nanoTime();
            if (now - nextBeat < 0) {
                return;
            }
            nextBeat = now + heartbeat.toNanos();
            try {
                beat();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "presence: this node's heartbeat failed, retrying in " + heartbeat.toMillis()
                        + " ms: " + e.getMessage());
            }
        }
    }

    @Override
    public void listen(Listener heard) {
        this.listener = heard;
    }

    @Override
    public boolean add(Member member, int limit) {
        List<String> key = key(member.room(), member.connectionId());
        // noted before the insert: a remove racing with this add then forgets it after, not before
        Member previous = local.put(key, member);
        boolean added = false;
        try {
            added = database.inTransaction(c -> add(c, member, limit));
            return added;
        } catch (SQLException e) {
            throw new IllegalStateException("presence: adding a member failed on PostgreSQL: " + e.getMessage(), e);
        } finally {
            if (!added && previous == null) {
                local.remove(key, member);
            }
        }
    }

    private boolean add(Connection c, Member member, int limit) throws SQLException {
        if (limit > 0) {
            // one room's adds in turn, so that two nodes never both take its last place
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                lock.setInt(1, ROOM_LOCKS);
                lock.setString(2, member.room().value());
                lock.executeQuery().close();
            }
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM presence_members m" + LIVE + " WHERE m.room = ?")) {
                count.setString(1, member.room().value());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) >= limit) {
                        return false;
                    }
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO presence_members (room, connection_id, node_id, user_id, info)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, member.room().value());
            insert.setString(2, member.connectionId());
            insert.setString(3, nodeId);
            insert.setString(4, member.userId());
            insert.setString(5, member.info());
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, "j\t" + member.room().value() + "\t" + member.connectionId() + "\t"
                    + (member.userId() == null ? "-" : "+" + member.userId()));
            notify.executeQuery().close();
        }
        return true;
    }

    @Override
    public void remove(RoomName room, String connectionId) {
        local.remove(key(room, connectionId));
        try (Connection c = database.connection();
             PreparedStatement delete = c.prepareStatement("WITH gone AS (DELETE FROM presence_members"
                     + " WHERE room = ? AND connection_id = ? RETURNING room, connection_id, user_id)"
                     + " SELECT " + LEAVE_NOTICE + " FROM gone")) {
            delete.setString(1, room.value());
            delete.setString(2, connectionId);
            delete.setString(3, channel);
            delete.executeQuery().close();
        } catch (SQLException e) {
            // Not retried: the member is removed with this node's other members should it die.
            throw new IllegalStateException("presence: removing a member failed on PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public Page page(RoomName room, String after, int limit) {
        try (Connection c = database.connection()) {
            List<Member> members = new ArrayList<>();
            boolean more = false;
            try (PreparedStatement select = c.prepareStatement("SELECT m.connection_id, m.user_id, m.info FROM presence_members m" + LIVE
                    + " WHERE m.room = ? AND m.connection_id COLLATE \"C\" > ? ORDER BY m.connection_id COLLATE \"C\" LIMIT ?")) {
                select.setString(1, room.value());
                select.setString(2, after == null ? "" : after);
                select.setInt(3, limit + 1);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (members.size() == limit) {
                            more = true;
                            break;
                        }
                        members.add(new Member(room, rows.getString(1), rows.getString(2), rows.getString(3)));
                    }
                }
            }
            try (PreparedStatement totals = c.prepareStatement("SELECT count(DISTINCT m.user_id), count(*) FROM presence_members m" + LIVE
                    + " WHERE m.room = ?")) {
                totals.setString(1, room.value());
                try (ResultSet rows = totals.executeQuery()) {
                    rows.next();
                    return new Page(members, rows.getLong(1), rows.getLong(2), more);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("presence: reading room " + room + " failed on PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public List<RoomCount> counts() {
        List<RoomCount> counts = new ArrayList<>();
        try (Connection c = database.connection();
             Statement select = c.createStatement();
             ResultSet rows = select.executeQuery("SELECT m.room, count(DISTINCT m.user_id), count(*) FROM presence_members m" + LIVE
                     + " GROUP BY m.room ORDER BY m.room COLLATE \"C\"")) {
            while (rows.next()) {
                counts.add(new RoomCount(new RoomName(rows.getString(1)), rows.getLong(2), rows.getLong(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("presence: counting members failed on PostgreSQL: " + e.getMessage(), e);
        }
        return counts;
    }

    /** One join or leave: {@code j|l TAB room TAB connection TAB -|+user}. */
    private void hear(String payload) {
        String[] parts = payload.split("\t", 4);
        Listener heard = listener;
        if (parts.length != 4 || heard == null || RoomName.problemWith(parts[1]) != null) {
            return;
        }
        Member member = new Member(new RoomName(parts[1]), parts[2], parts[3].startsWith("+") ? parts[3].substring(1) : null, null);
        try {
            if (parts[0].equals("j")) {
                heard.joined(member);
            } else {
                heard.left(member);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "presence: telling a " + parts[0] + " of room " + parts[1] + " failed", e);
        }
    }

    /** Keeps this node alive (adding its members again if it had been swept), and sweeps expired nodes' members. */
    private void beat() throws SQLException {
        boolean swept;
        try (Connection c = database.connection();
             PreparedStatement alive = c.prepareStatement("INSERT INTO presence_nodes (node_id, expires_at)"
                     + " VALUES (?, now() + ? * INTERVAL '1 millisecond')"
                     + " ON CONFLICT (node_id) DO UPDATE SET expires_at = EXCLUDED.expires_at RETURNING (xmax = 0) AS inserted")) {
            alive.setString(1, nodeId);
            alive.setLong(2, expiry.toMillis());
            try (ResultSet rows = alive.executeQuery()) {
                rows.next();
                swept = rows.getBoolean(1);
            }
            try (PreparedStatement sweep = c.prepareStatement("WITH dead AS (DELETE FROM presence_nodes WHERE expires_at <= now()"
                    + " RETURNING node_id), gone AS (DELETE FROM presence_members WHERE node_id IN (SELECT node_id FROM dead)"
                    + " OR node_id NOT IN (SELECT node_id FROM presence_nodes) RETURNING room, connection_id, user_id)"
                    + " SELECT " + LEAVE_NOTICE + " FROM gone")) {
                sweep.setString(1, channel);
                sweep.executeQuery().close();
            }
        }
        if (swept && !local.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "presence: this node's heartbeat had expired; adding its " + local.size() + " members again");
            for (Member member : List.copyOf(local.values())) {
                add(member, 0);
            }
        }
    }

    private static List<String> key(RoomName room, String connectionId) {
        return List.of(room.value(), connectionId);
    }

    /** Stops the node's thread and removes its remaining members, announcing their leaves, and its row. */
    @Override
    public void close() {
        notifications.close();
        try (Connection c = database.connection();
             PreparedStatement members = c.prepareStatement("WITH gone AS (DELETE FROM presence_members WHERE node_id = ?"
                     + " RETURNING room, connection_id, user_id) SELECT " + LEAVE_NOTICE + " FROM gone");
             PreparedStatement self = c.prepareStatement("DELETE FROM presence_nodes WHERE node_id = ?")) {
            members.setString(1, nodeId);
            members.setString(2, channel);
            members.executeQuery().close();
            self.setString(1, nodeId);
            self.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "presence: could not remove this node's members; they leave after "
                    + expiry.toSeconds() + " s: " + e.getMessage());
        }
    }
}

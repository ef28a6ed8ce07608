package io.switchboard.adapters.eventbus;

import io.switchboard.domain.RoomName;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * One node's ears on the shared database: a dedicated connection that {@code LISTEN}s on the
 * event channel and hands each notification to the {@link CommittedFeed}, plus a poll of every
 * room's last id every {@link #POLL_EVERY}, right after every (re)listen too, because a
 * notification is lost while no session listens. A broken connection is reopened after a pause.
 */
final class PostgresNotifications implements AutoCloseable {
    static final Duration POLL_EVERY = Duration.ofMillis(500);
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(PostgresNotifications.class.getName());

    private final String url;
    private final Properties credentials;
    private final String channel;
    private final EventRows rows;
    private final CommittedFeed feed;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    /**
     * Listens at once, then records every room's last id as the feed's start, so what commits
     * afterwards reaches the listeners.
     *
     * @throws SQLException when the database cannot be reached
     */
    PostgresNotifications(String url, Properties credentials, String channel, EventRows rows, CommittedFeed feed) throws SQLException {
        this.url = url;
        this.credentials = credentials;
        this.channel = channel;
        this.rows = rows;
        this.feed = feed;
        this.connection = listen();
        feed.startAt(rows.lastIds());
        this.thread = Thread.ofPlatform().name("switchboard-pg-listen").daemon().start(this::run);
    }

    /** The channel name for a schema: at most 63 bytes, PostgreSQL's identifier limit. */
    static String channel(String schema) {
        return channel("switchboard_events:", schema);
    }

    /** A channel of {@code prefix} for a schema, within PostgreSQL's identifier limit. */
    static String channel(String prefix, String schema) {
        String channel = prefix + schema;
        return channel.length() <= 63 && channel.chars().allMatch(c -> c < 128)
                ? channel : prefix + Integer.toHexString(schema.hashCode());
    }

    private Connection listen() throws SQLException {
        Connection listening = DriverManager.getConnection(url, credentials);
        try (Statement statement = listening.createStatement()) {
            statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
            return listening;
        } catch (SQLException e) {
            listening.close();
            throw e;
        }
    }

    private void run() {
        boolean first = true;
        while (!closed) {
            try {
                if (!first) {
                    connection = listen();
                    poll();
                }
                first = false;
                receive(connection.unwrap(PGConnection.class));
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "listening for events of other nodes failed, retrying in "
                        + RECONNECT_AFTER.toMillis() + " ms: " + e.getMessage());
                closeQuietly();
                sleep(RECONNECT_AFTER);
            }
        }
    }

    private void receive(PGConnection listening) throws SQLException {
        long nextPoll = System.nanoTime() + POLL_EVERY.toNanos();
        while (!closed) {
            int wait = (int) Math.max(1, (nextPoll - System.nanoTime()) / 1_000_000);
            PGNotification[] notifications = listening.getNotifications(wait);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    announce(notification.getParameter());
                }
            }
            if (System.nanoTime() - nextPoll >= 0) {
                poll();
                nextPoll = System.nanoTime() + POLL_EVERY.toNanos();
            }
        }
    }

    private void announce(String payload) {
        int space = payload.indexOf(' ');
        try {
            feed.announced(new RoomName(payload.substring(space + 1)), Long.parseLong(payload.substring(0, space)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring notification '" + payload + "': " + e.getMessage());
        }
    }

    private void poll() {
        rows.lastIds().forEach(feed::announced);
    }

    /** Stops listening; waits briefly for the listening thread to finish. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(POLL_EVERY.multipliedBy(4).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            Connection current = connection;
            if (current != null) {
                current.close();
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the listening connection failed", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

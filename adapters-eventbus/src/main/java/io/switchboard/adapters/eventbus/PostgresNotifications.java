package io.switchboard.adapters.eventbus;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * One node's ears on the shared database: a dedicated connection that {@code LISTEN}s on one
 * channel and hands each notification to a {@link Receiver} (the {@link CommittedFeed} for events,
 * the {@link PostgresAuditFeed} for audit entries), plus a poll every {@link #POLL_EVERY}, right
 * after every (re)listen too, because a notification is lost while no session listens. A broken
 * connection is reopened after a pause.
 */
final class PostgresNotifications implements AutoCloseable {

    /** What a node does with what it hears on a channel; called on the listening thread, except {@link #start}. */
    interface Receiver {
        /** Once, right after the first {@code LISTEN}: notes what is already stored, so what commits afterwards is heard. */
        void start();

        /** Someone notified the channel with {@code payload}. */
        void notified(String payload);

        /** Catches up on what lost notifications would have announced. */
        void poll();
    }

    static final Duration POLL_EVERY = Duration.ofMillis(500);
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(PostgresNotifications.class.getName());

    private final String url;
    private final Properties credentials;
    private final String channel;
    private final Receiver receiver;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    /**
     * Listens at once, then lets the receiver note where it starts, then hands it what it hears
     * on a thread named {@code threadName}.
     *
     * @throws SQLException when the database cannot be reached
     */
    PostgresNotifications(String url, Properties credentials, String channel, String threadName, Receiver receiver) throws SQLException {
        this.url = url;
        this.credentials = credentials;
        this.channel = channel;
        this.receiver = receiver;
        this.connection = listen();
        try {
            receiver.start();
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        this.thread = Thread.ofPlatform().name(threadName).daemon().start(this::run);
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
                    receiver.poll();
                }
                first = false;
                receive(connection.unwrap(PGConnection.class));
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "listening on " + channel + " for other nodes failed, retrying in "
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
                    receiver.notified(notification.getParameter());
                }
            }
            if (System.nanoTime() - nextPoll >= 0) {
                receiver.poll();
                nextPoll = System.nanoTime() + POLL_EVERY.toNanos();
            }
        }
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

package io.switchboard.adapters.eventbus;

import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open database: Helidon's {@link DbClient} over a Hikari pool this class owns. The pool is
 * built here rather than by {@code helidon-dbclient-hikari} because DbClient 4.0.5 offers no way
 * to close the pool it builds, and the hub must release the database file when it stops.
 */
final class JdbcDatabase implements AutoCloseable {
    private final DbClient client;
    private final HikariDataSource pool;
    private final String dialect;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    JdbcDatabase(HikariDataSource pool, String dialect, Runnable onClose) {
        this.pool = pool;
        this.dialect = dialect;
        this.onClose = onClose;
        this.client = JdbcClientBuilder.create().connectionPool(this::connection).build();
    }

    DbClient client() {
        return client;
    }

    /** Which migrations apply: {@code schema/<dialect>/}. */
    String dialect() {
        return dialect;
    }

    /** Closes the pool, and with its last connection the database; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.close();
        } finally {
            onClose.run();
        }
    }

    /** Work on one plain JDBC connection inside a transaction. */
    interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction on a pooled connection: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(TransactionWork<T> work) throws SQLException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** A pooled connection for plain JDBC; the caller closes it. */
    Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("no database connection: " + e.getMessage(), e);
        }
    }
}

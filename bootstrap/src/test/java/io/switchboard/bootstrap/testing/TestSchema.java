package io.switchboard.bootstrap.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A PostgreSQL schema of its own for one test class's hub nodes, on the local server. */
public final class TestSchema {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";
    private static final String DEADLOCK = "40P01";

    private TestSchema() {
    }

    /**
     * Skips {@code test} with the reason when the local PostgreSQL is not reachable — except under
     * {@code CI=true}, where PostgreSQL tests must run, so that fails.
     */
    public static void requireServer(Class<?> test) {
        try {
            sql("SELECT 1");
        } catch (SQLException e) {
            String reason = "PostgreSQL is not reachable at " + SERVER + " as " + USER + ": " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(reason + " (CI=true: PostgreSQL tests must run)");
            }
            System.out.println("Skipping " + test.getSimpleName() + ": " + reason);
            Assumptions.assumeTrue(false, reason);
        }
    }

    /** A new schema {@code <prefix>_<hex>} for {@code test}'s hubs, or the skip of {@link #requireServer}. */
    public static String create(String prefix, Class<?> test) throws SQLException {
        requireServer(test);
        String schema = prefix + "_" + Long.toHexString(System.nanoTime());
        sql("CREATE SCHEMA " + schema);
        return schema;
    }

    /** A hub config file at {@code file} putting the event log in {@code schema}, with further keys under {@code hub:} (or empty). */
    public static java.nio.file.Path hubConfig(java.nio.file.Path file, String schema, String moreHubYaml) throws java.io.IOException {
        return java.nio.file.Files.writeString(file, """
                hub:
                  db:
                    url: "%s?currentSchema=%s"
                    user: %s
                """.formatted(SERVER, schema, USER) + moreHubYaml);
    }

    public static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /**
     * Drops the schema. A node that just stopped may still have a transaction of its heartbeat in
     * flight on the server; dropping its tables then deadlocks with it, so a deadlock is tried again.
     */
    public static void drop(String schema) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                return;
            } catch (SQLException e) {
                if (!DEADLOCK.equals(e.getSQLState()) || attempt == 5) {
                    throw e;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}

package io.switchboard.adapters.eventbus;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Several nodes of one test on a PostgreSQL schema of its own (created on first use, its schema brought
 * up to date); closing closes what the nodes opened, newest first, and drops the schema.
 */
final class NodesOnOneSchema implements AutoCloseable {
    private final String prefix;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String schema;

    /** @param prefix of the schema's name, e.g. {@code sb_slots} */
    NodesOnOneSchema(String prefix) {
        this.prefix = prefix;
    }

    String url() {
        if (schema == null) {
            schema = prefix + "_" + Long.toHexString(System.nanoTime());
            sql(PostgresEventStorageTest.SERVER, "CREATE SCHEMA " + schema);
        }
        return PostgresEventStorageTest.SERVER + "?currentSchema=" + schema;
    }

    String schema() {
        url();
        return schema;
    }

    Properties credentials() {
        Properties credentials = new Properties();
        credentials.setProperty("user", PostgresEventStorageTest.USER);
        return credentials;
    }

    /** A node's own pool on the schema, migrated. */
    JdbcDatabase database() {
        JdbcDatabase database = keep(PostgresDatabase.open(url(), credentials()));
        SchemaMigrations.apply(database.client(), database.dialect(), Clock.systemUTC());
        return database;
    }

    /** Closes {@code closeable} with the rest, before what was kept earlier. */
    <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** Runs one statement on the schema. */
    void sql(String statement) {
        sql(url(), statement);
    }

    private static void sql(String url, String statement) {
        try (Connection connection = DriverManager.getConnection(url, PostgresEventStorageTest.USER, "");
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        if (schema != null) {
            sql(PostgresEventStorageTest.SERVER, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}

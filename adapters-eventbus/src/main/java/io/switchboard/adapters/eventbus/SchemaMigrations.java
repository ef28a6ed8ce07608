package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database's schema up to date at start. Migrations are numbered SQL resources
 * ({@code schema/<dialect>/1.sql}, {@code 2.sql}, ...), applied in order once each; table
 * {@code schema_version} records which ran, so a restart applies only new ones.
 */
final class SchemaMigrations {
    private static final String CREATE_VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INT                         PRIMARY KEY,
                applied_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
            )""";

    /** The advisory lock migrations on PostgreSQL hold; any constant shared by all hubs. */
    private static final long POSTGRES_LOCK_KEY = 0x5357_4244L;

    private SchemaMigrations() {
    }

    /**
     * Applies the dialect's migrations the database has not seen; returns the resulting version.
     * Several hubs may start at once on one PostgreSQL database: each migration runs in a
     * transaction holding an advisory lock and first re-reads the version, so it runs once.
     */
    static int apply(DbClient db, String dialect, Clock clock) {
        List<List<String>> known = migrations(dialect);
        String lock = "postgres".equals(dialect) ? "SELECT pg_advisory_xact_lock(" + POSTGRES_LOCK_KEY + ") AS locked" : null;
        if (lock == null) {
            db.execute().dml(CREATE_VERSION_TABLE);
        }
        while (true) {
            int[] applied = {0};
            try {
                Transactions.run(db, tx -> {
                    if (lock != null) {
                        tx.get(lock);
                        tx.dml(CREATE_VERSION_TABLE);
                    }
                    int current = tx.get("SELECT MAX(version) AS version FROM schema_version")
                            .map(row -> row.column("version").get(Integer.class))
                            .orElse(0);
                    if (current > known.size()) {
                        throw new NewerSchemaException("the database has schema version " + current
                                + " but this version of Switchboard knows only up to " + known.size()
                                + "; it was written by a newer Switchboard");
                    }
                    if (current == known.size()) {
                        return;
                    }
                    applied[0] = current + 1;
                    for (String statement : known.get(current)) {
                        tx.dml(statement);
                    }
                    tx.insert("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                            applied[0], Columns.timestamp(clock.instant()));
                });
            } catch (NewerSchemaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalStateException("schema migration " + (applied[0] == 0 ? "check" : applied[0])
                        + " failed: " + e.getMessage(), e);
            }
            if (applied[0] == 0) {
                return known.size();
            }
        }
    }

    private static List<List<String>> migrations(String dialect) {
        List<List<String>> migrations = new ArrayList<>();
        for (int version = 1; ; version++) {
            String sql = resource("schema/" + dialect + "/" + version + ".sql");
            if (sql == null) {
                return migrations;
            }
            migrations.add(statements(sql));
        }
    }

    /**
     * Splits a script at semicolons ending a line, dropping {@code --} comment lines; semicolons
     * inside a {@code $$}-quoted body (a PostgreSQL function) do not end the statement.
     */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inBody = false;
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || (!inBody && trimmed.startsWith("--"))) {
                continue;
            }
            if ((trimmed.split("\\$\\$", -1).length - 1) % 2 == 1) {
                inBody = !inBody;
            }
            if (!inBody && trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString());
        }
        return statements;
    }

    private static String resource(String name) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class NewerSchemaException extends IllegalStateException {
        NewerSchemaException(String message) {
            super(message);
        }
    }
}

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

    private SchemaMigrations() {
    }

    /** Applies the dialect's migrations the database has not seen; returns the resulting version. */
    static int apply(DbClient db, String dialect, Clock clock) {
        db.execute().dml(CREATE_VERSION_TABLE);
        int current = db.execute().get("SELECT MAX(version) AS version FROM schema_version")
                .map(row -> row.column("version").get(Integer.class))
                .orElse(0);
        List<List<String>> known = migrations(dialect);
        if (current > known.size()) {
            throw new IllegalStateException("the database has schema version " + current
                    + " but this version of Switchboard knows only up to " + known.size()
                    + "; it was written by a newer Switchboard");
        }
        for (int version = current + 1; version <= known.size(); version++) {
            int applying = version;
            try {
                Transactions.run(db, tx -> {
                    for (String statement : known.get(applying - 1)) {
                        tx.dml(statement);
                    }
                    tx.insert("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                            applying, Columns.timestamp(clock.instant()));
                });
            } catch (RuntimeException e) {
                throw new IllegalStateException("schema migration " + applying + " failed: " + e.getMessage(), e);
            }
        }
        return known.size();
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

    /** Splits a script at semicolons ending a line, dropping {@code --} comment lines. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
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
}

package io.switchboard.adapters.eventbus;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A PostgreSQL database several hubs share: a pool of this process's connections to it. */
final class PostgresDatabase {
    static final int POOL_SIZE = 10;

    private PostgresDatabase() {
    }

    /** @throws EventStorage.UnavailableException when the server cannot be reached or refuses the login */
    static JdbcDatabase open(String url, Properties credentials) {
        String where = EventStorage.withoutParameters(url);
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new EventStorage.UnavailableException("not a PostgreSQL JDBC URL: " + where
                    + " (expected jdbc:postgresql://host:port/database)");
        }
        // One plain connection first reports an unreachable server or a refused login in one line.
        try (Connection probe = DriverManager.getConnection(url, credentials)) {
            probe.isValid(5);
        } catch (SQLException e) {
            throw new EventStorage.UnavailableException("cannot connect to PostgreSQL at " + where + ": " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard-postgres");
        config.setJdbcUrl(url);
        config.setUsername(credentials.getProperty("user"));
        config.setPassword(credentials.getProperty("password"));
        config.setMaximumPoolSize(POOL_SIZE);
        return new JdbcDatabase(new HikariDataSource(config), "postgres", () -> { });
    }
}

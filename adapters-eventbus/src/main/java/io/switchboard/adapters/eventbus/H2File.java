package io.switchboard.adapters.eventbus;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default storage: an H2 database file {@code switchboard.mv.db} in the data directory.
 * One process, and one hub in it, per file: H2's file lock refuses a second process, and a set
 * of open directories refuses a second hub in this JVM (it would share the database and assign
 * the same ids twice).
 */
final class H2File {
    static final String FILE_NAME = "switchboard.mv.db";
    /** H2's error code for a database file locked by another process. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final String USER = "sa";
    private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();

    private H2File() {
    }

    /**
     * The JDBC URL: {@code WRITE_DELAY=0} writes every commit before it returns, so an
     * acknowledged event survives {@code kill -9}; the hub closes the database itself on stop
     * ({@code DB_CLOSE_ON_EXIT=FALSE}), after its clients are gone.
     */
    static String url(Path dataDir) {
        Path base = dataDir.toAbsolutePath().normalize().resolve("switchboard");
        return "jdbc:h2:file:" + base + ";WRITE_DELAY=0;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
    }

    static JdbcDatabase open(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (!OPEN_HERE.add(dir)) {
            throw new EventStorage.UnavailableException("data directory " + dataDir
                    + " is already used by another hub in this process");
        }
        try {
            Files.createDirectories(dir);
            HikariConfig config = new HikariConfig();
            config.setPoolName("switchboard-h2");
            config.setJdbcUrl(url(dataDir));
            config.setUsername(USER);
            config.setPassword("");
            config.setMaximumPoolSize(8);
            // Opening one plain connection first reports a locked file here, not as a pool start-up
            // failure with a stack trace; kept open, it holds the database open for the pool.
            Connection first = DriverManager.getConnection(url(dataDir), USER, "");
            try {
                return new JdbcDatabase(new HikariDataSource(config), "h2", () -> OPEN_HERE.remove(dir));
            } finally {
                first.close();
            }
        } catch (IOException e) {
            OPEN_HERE.remove(dir);
            throw new EventStorage.UnavailableException("cannot create data directory " + dataDir + ": " + e, e);
        } catch (SQLException | RuntimeException e) {
            OPEN_HERE.remove(dir);
            if (errorCode(e) == DATABASE_ALREADY_OPEN) {
                throw new EventStorage.UnavailableException("data directory " + dataDir + " is in use by another process"
                        + " (the H2 database " + dataDir.resolve(FILE_NAME) + " is locked); stop that hub or choose"
                        + " another directory with --data", e);
            }
            throw new EventStorage.UnavailableException("cannot open the H2 database in " + dataDir + ": " + rootMessage(e), e);
        }
    }

    private static int errorCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}

package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbRow;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Reads and writes column values DbClient does not convert itself. Read inside the row's stream, while it is open. */
final class Columns {
    private Columns() {
    }

    /**
     * A text column's value, or {@code null}. DbClient hands large-object columns over as a
     * {@link Clob} (its string conversion yields the locator, not the text), so read it here.
     */
    static String text(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Clob clob) {
            try (Reader reader = clob.getCharacterStream()) {
                StringBuilder text = new StringBuilder((int) Math.min(clob.length(), Integer.MAX_VALUE));
                char[] buffer = new char[8192];
                for (int n; (n = reader.read(buffer)) >= 0; ) {
                    text.append(buffer, 0, n);
                }
                return text.toString();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read column " + column + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return value.toString();
    }

    /** H2 hands a zoned timestamp over as {@link OffsetDateTime}, PostgreSQL's driver as {@link Timestamp}. */
    static Instant instant(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        return value instanceof Timestamp timestamp ? timestamp.toInstant() : ((OffsetDateTime) value).toInstant();
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.application.port.RoomState;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.ResumeFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage contract on the default storage, an H2 file; plus what only a durable storage promises. */
class H2EventStorageTest extends EventStorageContract {
    @TempDir
    Path temp;
    private final Map<EventStorage, Path> directories = new HashMap<>();
    private int opened;

    @Override
    EventStorage open(HistoryRetention retention) {
        Path dir = temp.resolve("data-" + ++opened);
        EventStorage storage = EventStorage.h2(dir, retention, clock);
        directories.put(storage, dir);
        return storage;
    }

    /** A check constraint added behind the storage's back rejects the type, as a full disk or a bad row would. */
    @Override
    boolean failAppendsOfType(EventStorage storage, String type) {
        sql(directories.get(storage), "ALTER TABLE events ADD CONSTRAINT reject_type CHECK (event_type <> '" + type + "')");
        return true;
    }

    @Test
    void eventsAndIdsSurviveReopening() {
        Path dir = temp.resolve("reopened");
        EventDraft detailed = new EventDraft(ROOM_A, "task_update", "{\"progress\":0.5,\"text\":\"héllo\"}",
                Map.of("correlationId", "c-1", "updateType", "partial"), true, "task-7");
        List<Event> stored;
        try (EventStorage storage = EventStorage.h2(dir, HistoryRetention.defaults(), clock)) {
            stored = new ArrayList<>(appendEach(storage, ROOM_A, 2));
            stored.addAll(storage.bus().append(List.of(detailed)));
        }

        try (EventStorage reopened = EventStorage.h2(dir, HistoryRetention.defaults(), clock)) {
            assertEquals(Optional.of(new EventId(3)), reopened.log().lastId(ROOM_A));
            assertEquals(new Replay.Gap(stored, Optional.of(new EventId(3))), reopened.log().readSince(ROOM_A, new EventId(0)));
            assertEquals(4, reopened.bus().append(List.of(draft(ROOM_A, "next"))).getFirst().id().value());
        }
        assertEquals(List.of(1L, 2L, 3L), longs(dir, "SELECT version FROM schema_version ORDER BY version"));
    }

    @Test
    void auditLogDeclarationsStatesAndMembersSurviveReopening() {
        Path dir = temp.resolve("rooms-reopened");
        RoomState state = new RoomState(ROOM_A, "{\"done\":true}", new EventId(5));
        AuditEntry entry;
        try (EventStorage storage = EventStorage.h2(dir, HistoryRetention.defaults(), clock)) {
            entry = audit(storage, clock.instant(), "auth.failed", "alice", ROOM_A.value(), "10.0.0.1");
            storage.rooms().declare(ROOM_A);
            storage.states().put(state);
            storage.members().add(ROOM_A, "bob");
            storage.members().add(ROOM_A, "alice");
        }

        try (EventStorage reopened = EventStorage.h2(dir, HistoryRetention.defaults(), clock)) {
            assertEquals(List.of(entry), reopened.audit().query(null, AuditFilter.all(), 10));
            assertTrue(reopened.rooms().declared(ROOM_A));
            assertEquals(Optional.of(state), reopened.states().get(ROOM_A));
            assertEquals(List.of("alice", "bob"), reopened.members().members(ROOM_A));
            AuditEntry next = audit(reopened, clock.instant(), "auth.failed", "bob", null, null);
            assertTrue(next.seq() > entry.seq(), next + " should be numbered after " + entry);
        }
    }

    /** Entries older than the audit retention are deleted as appends go on; newer ones stay. */
    @Test
    void auditEntriesOutsideTheRetentionAreDeleted() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        AuditEntry old = audit(storage, clock.instant(), "auth.failed", "old", null, null);
        clock.advance(EventStorage.AUDIT_RETENTION.plusHours(1));
        List<AuditEntry> recent = new ArrayList<>();
        for (int i = 0; i < JdbcAuditLog.SWEEP_EVERY; i++) {
            recent.add(audit(storage, clock.instant(), "auth.failed", "new", null, null));
        }

        assertEquals(recent, storage.audit().query(null, AuditFilter.all(), 2 * JdbcAuditLog.SWEEP_EVERY));
        assertTrue(old.seq() < recent.getFirst().seq());
    }

    @Test
    void sinceZeroOnARoomWithoutEventsIsAnEmptyGapAndAnythingAheadIsUnknown() {
        EventStorage storage = openTracked(HistoryRetention.defaults());

        assertEquals(Optional.of(new EventId(0)), storage.log().lastId(ROOM_A));
        assertEquals(new Replay.Gap(List.of(), Optional.of(new EventId(0))), storage.log().readSince(ROOM_A, new EventId(0)));
        Replay.Lost fromWipedDatabase = assertInstanceOf(Replay.Lost.class, storage.log().readSince(ROOM_A, new EventId(42)));
        assertEquals(ResumeFailure.UNKNOWN_POSITION, fromWipedDatabase.reason());
    }

    /** Two hubs on one file would hand out the same ids: the second is refused until the first closes. */
    @Test
    void aSecondStorageOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
        Path dir = temp.resolve("shared");
        EventStorage first = EventStorage.h2(dir, HistoryRetention.defaults(), clock);

        EventStorage.UnavailableException refused = assertThrows(EventStorage.UnavailableException.class,
                () -> EventStorage.h2(dir, HistoryRetention.defaults(), clock));
        assertTrue(refused.getMessage().contains(dir.toString()) && refused.getMessage().contains("already used"),
                refused.getMessage());
        first.close();
        EventStorage.h2(dir, HistoryRetention.defaults(), clock).close();
    }

    @Test
    void rowsOutsideTheRetentionAreDeleted() {
        EventStorage storage = openTracked(new HistoryRetention(10, Duration.ofHours(24)));
        int appended = 3 * JdbcEventStore.TRIM_EVERY;
        List<Event> events = appendEach(storage, ROOM_A, appended);

        long rows = longs(directories.get(storage), "SELECT COUNT(*) FROM events").getFirst();
        assertTrue(rows >= 10 && rows <= 10 + JdbcEventStore.TRIM_EVERY, rows + " rows kept of " + appended);
        assertEquals(events.subList(appended - 10, appended),
                gap(storage.log().readSince(ROOM_A, events.get(appended - 11).id())));
    }

    /** Data beyond H2's 1 MiB limit for plain text columns is stored and read back whole. */
    @Test
    void largeEventDataIsKeptWhole() {
        EventStorage storage = openTracked(HistoryRetention.defaults());
        String data = "\"" + "x".repeat(3 * 1024 * 1024) + "\"";

        Event stored = storage.bus().append(List.of(new EventDraft(ROOM_A, "big", data, Map.of(), false, null))).getFirst();

        assertEquals(List.of(stored), gap(storage.log().readSince(ROOM_A, new EventId(0))));
    }

    @Test
    void storageSaysWhereItKeepsEvents() {
        Path dir = temp.resolve("described");
        try (EventStorage storage = EventStorage.h2(dir, HistoryRetention.defaults(), clock)) {
            assertEquals("H2 file " + dir.resolve("switchboard.mv.db"), storage.description());
            assertTrue(Files.exists(dir.resolve("switchboard.mv.db")));
        }
    }

    private static void sql(Path dir, String statement) {
        try (Connection connection = DriverManager.getConnection(H2File.url(dir), "sa", "");
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> longs(Path dir, String query) {
        try (Connection connection = DriverManager.getConnection(H2File.url(dir), "sa", "");
             Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery(query)) {
            List<Long> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

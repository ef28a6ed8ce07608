package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.switchboard.application.port.out.BridgePositions;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Optional;

/**
 * Intake positions in table {@code bridge_positions}, moved by a compare-and-set in the transaction
 * that stores the bridged events. On PostgreSQL several nodes race for one intake event: the row is
 * created if missing ({@code ON CONFLICT DO NOTHING} waits for a concurrent insert to commit), then
 * {@code UPDATE ... WHERE last_id = from} takes its lock; a second node's update waits for the first
 * transaction and, re-checking the condition against the committed row, changes nothing — it lost.
 */
final class JdbcBridgePositions implements BridgePositions {
    private final DbClient db;
    private final ClaimedAppends store;
    private final boolean postgres;

    JdbcBridgePositions(DbClient db, String dialect, ClaimedAppends store) {
        this.db = db;
        this.store = store;
        this.postgres = "postgres".equals(dialect);
    }

    @Override
    public EventId position(RoomName intake) {
        return new EventId(db.execute().get("SELECT last_id FROM bridge_positions WHERE room = ?", intake.value())
                .map(row -> row.column("last_id").get(Long.class))
                .orElse(0L));
    }

    @Override
    public Optional<List<Event>> advance(RoomName intake, EventId from, EventId to, List<EventDraft> drafts) {
        if (postgres) {
            return store.append(drafts, tx -> claim(tx, intake, from, to));
        }
        // H2 serves one process: the lock keeps its own claims apart
        synchronized (this) {
            return store.append(drafts, tx -> claim(tx, intake, from, to));
        }
    }

    private boolean claim(DbTransaction tx, RoomName intake, EventId from, EventId to) {
        if (postgres) {
            tx.dml("INSERT INTO bridge_positions (room, last_id) VALUES (?, 0) ON CONFLICT (room) DO NOTHING", intake.value());
        } else if (tx.get("SELECT last_id FROM bridge_positions WHERE room = ?", intake.value()).isEmpty()) {
            tx.insert("INSERT INTO bridge_positions (room, last_id) VALUES (?, 0)", intake.value());
        }
        return tx.dml("UPDATE bridge_positions SET last_id = ? WHERE room = ? AND last_id = ?",
                to.value(), intake.value(), from.value()) == 1;
    }
}

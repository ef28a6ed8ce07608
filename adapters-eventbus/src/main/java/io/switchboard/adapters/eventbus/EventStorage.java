package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.AuditLog;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.HistoryRetention;
import io.switchboard.application.port.out.PublishReceipts;
import io.switchboard.application.port.out.RoomDirectory;
import io.switchboard.application.port.out.RoomMembers;
import io.switchboard.application.port.out.StateStore;

import java.time.Clock;
import java.time.Duration;

/** The storage adapters' entry: the bus, log and idempotency receipts of one storage choice. */
public record EventStorage(EventBus bus, EventLog log, PublishReceipts receipts, AuditLog audit, RoomMembers members,
                           RoomDirectory rooms, StateStore states, String description) {

    /** Idempotency keys are honoured this long (SPEC 2). */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    /** Audit entries an in-memory store keeps; the oldest leave first. */
    public static final int AUDIT_ENTRIES_IN_MEMORY = 10_000;

    /** Everything in this process's memory: fast, and gone on restart. */
    public static EventStorage inMemory(HistoryRetention retention, Clock clock) {
        InMemoryEventStore store = new InMemoryEventStore(retention, clock);
        InMemoryRooms rooms = new InMemoryRooms();
        return new EventStorage(store, store, new InMemoryPublishReceipts(IDEMPOTENCY_WINDOW, clock),
                new InMemoryAuditLog(AUDIT_ENTRIES_IN_MEMORY), new InMemoryRoomMembers(), rooms, rooms,
                "in memory (events are lost on restart)");
    }
}

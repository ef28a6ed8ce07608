package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.HistoryRetention;

/** The storage contract on the in-memory storage of {@code --ephemeral} hubs. */
class InMemoryEventStorageTest extends EventStorageContract {

    @Override
    EventStorage open(HistoryRetention retention) {
        return EventStorage.inMemory(retention, clock);
    }

    /** Memory appends have nothing that can fail midway. */
    @Override
    boolean failAppendsOfType(EventStorage storage, String type) {
        return false;
    }
}

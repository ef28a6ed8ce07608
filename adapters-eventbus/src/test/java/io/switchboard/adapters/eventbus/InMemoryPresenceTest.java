package io.switchboard.adapters.eventbus;

import io.switchboard.application.port.out.PresenceStore;

/** The presence contract on one node's memory (the H2 and in-memory deployments). */
class InMemoryPresenceTest extends PresenceStoreContract {
    @Override
    PresenceStore store(Heard heard) {
        PresenceStore store = new InMemoryPresence();
        store.listen(heard);
        return store;
    }
}

package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbTransaction;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A database event store's append with a claim that runs first in the same transaction. */
interface ClaimedAppends {

    /**
     * Appends {@code drafts} (none is fine) in a transaction that first runs {@code claim}; when the claim
     * answers false, nothing is stored and the answer is empty.
     */
    Optional<List<Event>> append(List<EventDraft> drafts, Predicate<DbTransaction> claim);
}

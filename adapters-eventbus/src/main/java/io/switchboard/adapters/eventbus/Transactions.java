package io.switchboard.adapters.eventbus;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

import java.util.function.Consumer;

/** Runs statements in one transaction: committed together, or rolled back and the failure rethrown. */
final class Transactions {
    private Transactions() {
    }

    static void run(DbClient db, Consumer<DbTransaction> statements) {
        DbTransaction tx = db.transaction();
        try {
            statements.accept(tx);
            tx.commit();
        } catch (RuntimeException e) {
            try {
                tx.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }
}

package io.switchboard.application.port.out;

import io.switchboard.application.port.in.PublishReceipt;

import java.util.Optional;

/** Remembers the answer given for an idempotency key, for as long as keys are honoured. */
public interface PublishReceipts {

    Optional<PublishReceipt> find(String idempotencyKey);

    void remember(String idempotencyKey, PublishReceipt receipt);
}

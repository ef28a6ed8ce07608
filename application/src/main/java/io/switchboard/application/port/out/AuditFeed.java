package io.switchboard.application.port.out;

import io.switchboard.application.port.AuditEntry;
import java.util.function.Consumer;

/**
 * The audit entries of every node sharing one audit store, as they are stored: what a cluster's
 * live audit stream shows. A store only this process writes has none; its trail streams the
 * entries it stores itself.
 */
public interface AuditFeed {

    /**
     * Hands {@code listener}, on the feed's own thread, every entry stored from now on by any
     * node, this one included: each once, each node's in the order that node stored them.
     */
    void subscribe(Consumer<AuditEntry> listener);
}

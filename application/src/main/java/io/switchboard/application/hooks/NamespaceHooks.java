package io.switchboard.application.hooks;

import io.switchboard.domain.RoomName;

import java.util.Map;
import java.util.Optional;

/** The {@code hooks.subscribe} and {@code hooks.command} of each namespace ({@code hub.namespaces.<ns>.hooks}). */
public final class NamespaceHooks {
    /** No namespace has hooks. */
    public static final NamespaceHooks NONE = new NamespaceHooks(Map.of(), Map.of());

    private final Map<String, Hook> subscribe;
    private final Map<String, Hook> command;

    /** @param subscribe the subscribe hook by namespace; @param command the command hook by namespace */
    public NamespaceHooks(Map<String, Hook> subscribe, Map<String, Hook> command) {
        this.subscribe = Map.copyOf(subscribe);
        this.command = Map.copyOf(command);
    }

    /** The hook asked before a client joins {@code room}, if its namespace has one. */
    public Optional<Hook> subscribe(RoomName room) {
        return Optional.ofNullable(subscribe.get(room.namespace()));
    }

    /** The hook that runs a command sent to {@code room}, if its namespace has one. */
    public Optional<Hook> command(RoomName room) {
        return Optional.ofNullable(command.get(room.namespace()));
    }
}

package io.switchboard.application.hooks;

import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.JoinCheck;
import io.switchboard.application.port.Principal;
import io.switchboard.domain.RoomName;

/** The namespaces' subscribe hooks as the hub's {@link JoinCheck}: a room whose namespace has one is asked about. */
public final class SubscribeHooks implements JoinCheck {
    private final NamespaceHooks hooks;
    private final HookGate gate;

    public SubscribeHooks(NamespaceHooks hooks, HookGate gate) {
        this.hooks = hooks;
        this.gate = gate;
    }

    @Override
    public Refusal refusal(Connection connection, RoomName room) {
        return refusal(connection.spec().endpoint(), connection.principal(), room, connection.id().value());
    }

    /**
     * Why {@code principal} (or an anonymous caller) may not read {@code room} through {@code endpoint},
     * or {@code null}: the same question a join asks, for a caller without a connection (the history API).
     */
    public Refusal refusal(String endpoint, Principal principal, RoomName room, String connectionId) {
        return hooks.subscribe(room)
                .map(hook -> gate.decide(hook, HookQuestions.subscribe(hook, endpoint, principal, room.value(), connectionId)))
                .map(decision -> decision instanceof HookDecision.Refuse refuse ? new Refusal(refuse.code(), refuse.message()) : null)
                .orElse(null);
    }
}

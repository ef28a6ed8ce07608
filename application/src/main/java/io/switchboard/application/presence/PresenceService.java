package io.switchboard.application.presence;

import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.port.Principal;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.PresenceDisabledException;
import io.switchboard.application.port.in.PresencePage;
import io.switchboard.application.port.in.PresenceQuery;
import io.switchboard.application.port.in.PresenceRequest;
import io.switchboard.application.port.out.PresenceStore;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.RoomName;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Presence (SPEC 16): keeps the store's members in step with the hub's memberships in the namespaces
 * that keep presence, tells each room's local members of the others' joins and leaves (live only: they
 * never enter the room's history), and answers who is in a room.
 */
public final class PresenceService implements PresenceQuery, Hub.MemberWatch, PresenceStore.Listener {
    private static final System.Logger LOG = System.getLogger(PresenceService.class.getName());

    private final PresenceSettings settings;
    private final PresenceStore store;
    private final Hub hub;

    public PresenceService(PresenceSettings settings, PresenceStore store, Hub hub) {
        this.settings = settings;
        this.store = store;
        this.hub = hub;
    }

    /** Starts watching the hub's memberships and hearing the store's joins and leaves; call before clients connect. */
    public void start() {
        store.listen(this);
        hub.watchMembers(this);
    }

    @Override
    public void entered(Connection connection, RoomName room) {
        PresenceSettings.Namespace namespace = settings.of(room);
        if (namespace == null) {
            return;
        }
        String id = connection.id().value();
        try {
            Principal principal = connection.principal();
            store.add(new PresenceStore.Member(room, id, connection.userId(), principal == null ? null : principal.info()),
                    namespace.maxMembers());
            if (!connection.open() || !connection.inRoom(room)) {
                store.remove(room, id); // it closed or lost the room while being added: not left behind
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "presence: adding connection " + id + " to room " + room + " failed: " + e.getMessage());
        }
    }

    @Override
    public void exited(Connection connection, RoomName room) {
        if (settings.of(room) == null) {
            return;
        }
        try {
            store.remove(room, connection.id().value());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "presence: removing connection " + connection.id() + " from room " + room
                    + " failed: " + e.getMessage());
        }
    }

    @Override
    public void joined(PresenceStore.Member member) {
        announce("presence.join", member);
    }

    @Override
    public void left(PresenceStore.Member member) {
        announce("presence.leave", member);
    }

    private void announce(String type, PresenceStore.Member member) {
        PresenceSettings.Namespace namespace = settings.of(member.room());
        if (namespace != null && namespace.events()) {
            hub.broadcastExcept(member.room(), PresenceNotices.notice(type, member), member.connectionId());
        }
    }

    @Override
    public PresencePage presence(PresenceRequest request) {
        RoomName room = request.room();
        if (settings.of(room) == null) {
            throw new PresenceDisabledException("room " + room + ": namespace " + room.namespace() + " keeps no presence");
        }
        PresenceStore.Page page = store.page(room, request.after(), request.limit());
        List<PresencePage.Client> clients = page.members().stream()
                .map(m -> new PresencePage.Client(m.connectionId(), m.userId(), m.info()))
                .toList();
        String next = page.more() && !clients.isEmpty() ? clients.getLast().connectionId() : null;
        return new PresencePage(room.value(), clients, page.users(), page.connections(), next);
    }

    /**
     * A client's {@code presence {room, limit?, after?}}: a member of the room is answered {@code presence
     * {...}}; anyone else, or a room without presence, gets {@code error}.
     */
    public void ask(Connection connection, String roomText, String limit, String after, String ref) {
        PresenceRequest request;
        try {
            request = PresenceRequest.of(roomText, limit, after);
        } catch (InvalidInputException e) {
            hub.reject(connection, ErrorCode.MESSAGE_INVALID, "presence: " + e.problems().stream()
                    .map(p -> p.field() + " " + p.message()).collect(Collectors.joining("; ")), ref);
            return;
        }
        if (!connection.inRoom(request.room())) {
            hub.reject(connection, ErrorCode.FORBIDDEN, "presence: join room " + request.room() + " before asking who is in it", ref);
            return;
        }
        try {
            connection.send(PresenceNotices.answer(presence(request)));
        } catch (PresenceDisabledException e) {
            hub.reject(connection, ErrorCode.PRESENCE_DISABLED, e.getMessage(), ref);
        }
    }

    /** A room's members in total, for the admin page. */
    public record RoomTotals(String room, long users, long connections) {
    }

    /** Totals per room with members, in room order, for the admin page. */
    public List<RoomTotals> totals() {
        return store.counts().stream().map(c -> new RoomTotals(c.room().value(), c.users(), c.connections())).toList();
    }

    /** Whether any namespace keeps presence. */
    public boolean enabled() {
        return settings.any();
    }
}

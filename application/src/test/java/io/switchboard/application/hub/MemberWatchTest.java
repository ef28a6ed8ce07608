package io.switchboard.application.hub;

import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hub tells its {@link Hub.MemberWatch} (presence) of each membership once when it starts and once
 * when it ends, whichever way it ends: leave, the connection's close; a repeated join is no new membership.
 */
class MemberWatchTest {
    private final ManualTimeHub hub = new ManualTimeHub(DeliveryRules.defaults());
    private final List<String> told = new CopyOnWriteArrayList<>();

    MemberWatchTest() {
        hub.hub.watchMembers(new Hub.MemberWatch() {
            @Override
            public void entered(Connection connection, RoomName room) {
                told.add("+" + room);
            }

            @Override
            public void exited(Connection connection, RoomName room) {
                told.add("-" + room);
            }
        });
    }

    @Test
    void eachMembershipIsToldOnceWhenItStartsAndOnceWhenItEnds() {
        ManualTimeHub.Client client = hub.connect();
        Connection c = client.connection();
        hub.hub.join(c, "chat:1", null, null);
        hub.hub.join(c, "chat:1", null, null);
        hub.hub.join(c, "chat:2", null, null);
        hub.hub.leave(c, "chat:1", null);
        hub.hub.leave(c, "chat:1", null);
        hub.hub.join(c, "bad room", null, null);
        assertEquals(List.of("+chat:1", "+chat:2", "-chat:1"), told);

        hub.hub.join(c, "chat:1", null, null);
        c.transportClosed(1000);
        c.transportClosed(1000);
        assertEquals(List.of("+chat:1", "+chat:2", "-chat:1", "+chat:1"), told.subList(0, 4));
        assertEquals(java.util.Set.of("-chat:1", "-chat:2"), java.util.Set.copyOf(told.subList(4, told.size())), "a close ends its rooms");
        assertEquals(6, told.size(), "once each: " + told);
    }

    @Test
    void aJoinOfAClosedConnectionIsNoMembership() {
        ManualTimeHub.Client client = hub.connect();
        client.connection().transportClosed(1000);
        hub.hub.join(client.connection(), "chat:1", null, null);
        assertEquals(List.of(), told);
    }
}

package io.switchboard.application.port.out;

import io.switchboard.domain.RoomName;

import java.util.List;

/**
 * Who is in each room of the namespaces that keep presence: in this process for one node, or in a
 * database every node shares, where each node's members last as long as its heartbeat. Every join and
 * leave any node makes is told to every node's {@link Listener}, each exactly once per node.
 */
public interface PresenceStore {

    /**
     * One connection in one room.
     *
     * @param userId {@code null} for an anonymous client
     * @param info   what the application said about the connection, as JSON text; {@code null} when nothing
     */
    record Member(RoomName room, String connectionId, String userId, String info) {
    }

    /**
     * One page of a room's members, ordered by connection id, with the room's totals.
     *
     * @param users       distinct user ids among all the room's members (anonymous ones not counted)
     * @param connections all the room's members
     * @param more        whether members follow the last one of this page
     */
    record Page(List<Member> members, long users, long connections, boolean more) {
    }

    /** Hears the joins and leaves of every node, this one's included. */
    interface Listener {
        void joined(Member member);

        void left(Member member);
    }

    /** Sets the one listener; call before the first {@link #add}. */
    void listen(Listener listener);

    /**
     * Adds a member unless its room has {@code limit} members already; announces it when added.
     *
     * @return false when the room was full and the member is not tracked
     */
    boolean add(Member member, int limit);

    /** Removes a member and announces its leave; a member not (or no longer) present is ignored, unannounced. */
    void remove(RoomName room, String connectionId);

    /** Up to {@code limit} members whose connection id sorts after {@code after} ({@code null}: from the first). */
    Page page(RoomName room, String after, int limit);

    /** Members per room with any, for the admin page: the room's connection and user totals. */
    List<RoomCount> counts();

    /** A room's totals. */
    record RoomCount(RoomName room, long users, long connections) {
    }
}

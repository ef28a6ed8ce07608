package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's critical events written but not yet acknowledged (SPEC 6 "Critical events").
 * The writer records each critical event it writes; the client's {@code ack} clears it; the
 * periodic check hands back the overdue ones to write again (same id), up to the namespace's
 * {@code ack-retries}, then gives up on them. Bounded: beyond {@code capacity} the oldest is given up.
 */
final class PendingAcks {
    private final DeliveryRules rules;
    private final int capacity;
    private final Map<Key, Pending> pending = new LinkedHashMap<>();

    PendingAcks(DeliveryRules rules, int capacity) {
        this.rules = rules;
        this.capacity = capacity;
    }

    /** Event ids are per room, so an event is its room and its id. */
    private record Key(RoomName room, long id) {
    }

    private static final class Pending {
        final Event event;
        long deadline;
        int resends;
        /** Queued again and not yet written: its deadline starts when the writer gets to it. */
        boolean resending;
        /** Acknowledged while a re-send was queued: forgotten once that re-send is written. */
        boolean acked;

        Pending(Event event, long deadline) {
            this.event = event;
            this.deadline = deadline;
        }
    }

    /** What the periodic check found: events to write again, and how many were given up. */
    record Overdue(List<Event> resend, int givenUp) {
        static final Overdue NONE = new Overdue(List.of(), 0);
    }

    /**
     * The writer wrote critical {@code event}: its ack is due within the namespace's timeout.
     *
     * @return how many older events were given up to stay within the capacity
     */
    synchronized int written(Event event, long now) {
        Key key = new Key(event.room(), event.id().value());
        Pending known = pending.get(key);
        long deadline = now + rules.ack(event.room()).timeout().toNanos();
        if (known == null) {
            int givenUp = 0;
            Iterator<Pending> oldest = pending.values().iterator();
            while (pending.size() >= capacity && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
                givenUp++;
            }
            pending.put(key, new Pending(event, deadline));
            return givenUp;
        }
        if (known.acked) {
            pending.remove(key);
        } else {
            known.resending = false;
            known.deadline = deadline;
        }
        return 0;
    }

    /**
     * The client acknowledged {@code id} in {@code room} (in every room when {@code room} is null).
     *
     * @return whether anything was pending under that id
     */
    synchronized boolean acknowledge(RoomName room, EventId id) {
        boolean found = false;
        for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Pending> entry = it.next();
            Key key = entry.getKey();
            if (key.id() == id.value() && (room == null || key.room().equals(room)) && !entry.getValue().acked) {
                found = true;
                if (entry.getValue().resending) {
                    entry.getValue().acked = true;
                } else {
                    it.remove();
                }
            }
        }
        return found;
    }

    /** Stops waiting for acks of {@code room}'s events: the client left it. */
    synchronized void forget(RoomName room) {
        pending.keySet().removeIf(key -> key.room().equals(room));
    }

    /** The events whose ack is overdue: re-sent while retries remain, else given up. */
    synchronized Overdue overdue(long now) {
        if (pending.isEmpty()) {
            return Overdue.NONE;
        }
        List<Event> resend = null;
        int givenUp = 0;
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.resending || p.acked || now - p.deadline < 0) {
                continue;
            }
            if (p.resends < rules.ack(p.event.room()).retries()) {
                p.resends++;
                p.resending = true;
                if (resend == null) {
                    resend = new ArrayList<>();
                }
                resend.add(p.event);
            } else {
                it.remove();
                givenUp++;
            }
        }
        return resend == null && givenUp == 0 ? Overdue.NONE : new Overdue(resend == null ? List.of() : resend, givenUp);
    }

    synchronized int size() {
        return pending.size();
    }
}

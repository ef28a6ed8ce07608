package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A room's position at an earlier moment, from the runs this node heard (SPEC 13, joins that start where the client was). */
class HeardRunsTest {
    private static final RoomName ROOM = new RoomName("webhook:abc-123");
    private static final RoomName OTHER = new RoomName("webhook:xyz-789");

    @Test
    void thePositionAtAMomentIsJustBeforeTheFirstRunHeardAfterIt() {
        HeardRuns heard = new HeardRuns(Duration.ofMinutes(1));
        heard.heard(run(ROOM, 1, 2));
        long moment = heard.moment();
        heard.heard(run(OTHER, 1, 1));
        heard.heard(run(ROOM, 3, 5));
        heard.heard(run(ROOM, 6, 6));

        assertEquals(2, heard.positionAt(ROOM, moment), "events 3.. were heard after the moment");
        assertEquals(0, heard.positionAt(OTHER, moment), "the other room's first event came after it");
        assertEquals(6, heard.positionAt(ROOM, heard.moment()), "nothing heard since now: the last id heard");
        assertEquals(HeardRuns.NOTHING_SINCE, heard.positionAt(new RoomName("webhook:quiet"), moment), "a room never heard");
    }

    @Test
    void aMomentOlderThanTheRunsKeptIsUnknownAndARoomSilentForTheWholeWindowIsDropped() throws Exception {
        HeardRuns heard = new HeardRuns(Duration.ofMillis(20));
        long before = heard.moment();
        heard.heard(run(ROOM, 1, 1));
        long after = heard.moment();
        Thread.sleep(40);
        heard.heard(run(ROOM, 2, 2)); // forgets run 1: older than the window

        assertEquals(HeardRuns.UNKNOWN, heard.positionAt(ROOM, before), "run 1 may or may not have come after it: not kept");
        assertEquals(1, heard.positionAt(ROOM, after));

        Thread.sleep(40);
        heard.sweep();
        assertEquals(0, heard.rooms(), "silent for the whole window");
        assertEquals(HeardRuns.UNKNOWN, heard.positionAt(ROOM, after), "a dropped room cannot say what came after an old moment");
        assertEquals(HeardRuns.NOTHING_SINCE, heard.positionAt(ROOM, heard.moment()), "but nothing came after the moment it was dropped");
        heard.heard(run(ROOM, 3, 3));
        assertEquals(HeardRuns.UNKNOWN, heard.positionAt(ROOM, after), "nor after it is heard again");
    }

    @Test
    void aRoomKeepsItsNewestRunsUpToTheCap() {
        HeardRuns heard = new HeardRuns(Duration.ofMinutes(1));
        long first = heard.moment();
        List<Long> moments = new ArrayList<>();
        for (long id = 1; id <= HeardRuns.MAX_RUNS_PER_ROOM + 10; id++) {
            moments.add(heard.moment());
            heard.heard(run(ROOM, id, id));
        }
        assertEquals(HeardRuns.UNKNOWN, heard.positionAt(ROOM, first), "the oldest runs are forgotten");
        int kept = moments.size() - HeardRuns.MAX_RUNS_PER_ROOM;
        assertEquals(kept, heard.positionAt(ROOM, moments.get(kept)), "the newest are kept");
        assertEquals(HeardRuns.MAX_RUNS_PER_ROOM + 10, heard.positionAt(ROOM, heard.moment()));
    }

    private static List<Event> run(RoomName room, long first, long last) {
        List<Event> events = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            events.add(new Event(new EventId(id), room, "t", "{}", Instant.EPOCH, Map.of(), false, null));
        }
        return events;
    }
}

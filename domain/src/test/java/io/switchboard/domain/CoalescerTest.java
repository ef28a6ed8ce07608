package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throttling of keyed events (SPEC 6) on a fake clock: first at once, latest at the window's end, order kept. */
class CoalescerTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;
    private static final RoomName ROOM = new RoomName("user:1");

    private final Coalescer coalescer = new Coalescer(Duration.ofSeconds(1));
    private long nextId = 1;

    @Test
    void firstEventOfAQuietPeriodGoesOutAtOnce() {
        Event first = keyed("dash");
        Coalescer.Step step = coalescer.offer(first, T0);
        assertEquals(List.of(first), step.deliver());
        assertEquals(List.of(), step.superseded());
    }

    @Test
    void withinTheWindowOnlyTheLatestGoesOutAtTheWindowsEnd() {
        List<Event> sent = new ArrayList<>();
        List<Event> superseded = new ArrayList<>();
        List<Event> offered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Event event = keyed("dash");
            offered.add(event);
            Coalescer.Step step = coalescer.offer(event, T0 + i * 10 * MS);
            sent.addAll(step.deliver());
            superseded.addAll(step.superseded());
        }
        assertEquals(List.of(offered.getFirst()), sent, "only the first went out during the window");
        assertEquals(18, superseded.size(), "events 2..19 were replaced by a later one");
        assertEquals(T0 + 1000 * MS, coalescer.nextDue());

        assertEquals(List.of(), coalescer.due(T0 + 999 * MS).deliver(), "not before the window ends");
        assertEquals(List.of(offered.getLast()), coalescer.due(T0 + 1000 * MS).deliver(), "the latest, at the window's end");
        assertEquals(Long.MAX_VALUE, coalescer.nextDue(), "nothing held");
    }

    @Test
    void aReleaseOpensTheNextWindow() {
        coalescer.offer(keyed("dash"), T0);
        Event held = keyed("dash");
        coalescer.offer(held, T0 + 100 * MS);
        assertEquals(List.of(held), coalescer.due(T0 + 1000 * MS).deliver());

        Event soonAfter = keyed("dash");
        assertEquals(List.of(), coalescer.offer(soonAfter, T0 + 1200 * MS).deliver(), "the release opened a window until 2000 ms");
        assertEquals(List.of(soonAfter), coalescer.due(T0 + 2000 * MS).deliver());
    }

    @Test
    void afterAQuietWindowTheNextEventGoesOutAtOnce() {
        coalescer.offer(keyed("dash"), T0);
        Event later = keyed("dash");
        assertEquals(List.of(later), coalescer.offer(later, T0 + 1000 * MS).deliver());
    }

    @Test
    void keysAreThrottledIndependently() {
        Event a = keyed("a");
        Event b = keyed("b");
        assertEquals(List.of(a), coalescer.offer(a, T0).deliver());
        assertEquals(List.of(b), coalescer.offer(b, T0 + 10 * MS).deliver(), "another key's first goes out at once");
    }

    @Test
    void eventsWithoutKeyAreNeverHeld() {
        for (int i = 0; i < 50; i++) {
            Event token = event(null, false);
            assertEquals(List.of(token), coalescer.offer(token, T0 + i * MS).deliver());
        }
    }

    @Test
    void criticalEventsBypassTheWindowAndReplaceTheHeldOneOfTheirKey() {
        coalescer.offer(keyed("dash"), T0);
        Event held = keyed("dash");
        coalescer.offer(held, T0 + 10 * MS);
        Event critical = event("dash", true);

        Coalescer.Step step = coalescer.offer(critical, T0 + 20 * MS);
        assertEquals(List.of(critical), step.deliver(), "goes out at once");
        assertEquals(List.of(held), step.superseded(), "the latest value of the key is the critical one");
        assertEquals(Long.MAX_VALUE, coalescer.nextDue());
    }

    @Test
    void anEventThatGoesOutAtOnceFirstReleasesHeldEventsWithLowerIds() {
        coalescer.offer(keyed("dash"), T0);
        Event held = keyed("dash");
        coalescer.offer(held, T0 + 10 * MS);

        Event token = event(null, false);
        assertEquals(List.of(held, token), coalescer.offer(token, T0 + 20 * MS).deliver(), "order: the held one first");

        Event heldAgain = keyed("dash");
        coalescer.offer(heldAgain, T0 + 30 * MS);
        Event critical = event("other", true);
        assertEquals(List.of(heldAgain, critical), coalescer.offer(critical, T0 + 40 * MS).deliver(),
                "a critical event of another key also keeps the order");
    }

    @Test
    void anotherKeysFirstEventReleasesTheHeldOnesBeforeIt() {
        coalescer.offer(keyed("a"), T0);
        Event heldA = keyed("a");
        coalescer.offer(heldA, T0 + 10 * MS);
        Event firstB = keyed("b");
        assertEquals(List.of(heldA, firstB), coalescer.offer(firstB, T0 + 20 * MS).deliver());
    }

    @Test
    void aDueReleaseTakesHeldEventsOfOtherKeysWithLowerIdsAlong() {
        coalescer.offer(keyed("b"), T0);
        coalescer.offer(keyed("a"), T0 + 500 * MS);
        Event heldB = keyed("b");
        coalescer.offer(heldB, T0 + 600 * MS);
        Event heldA = keyed("a");
        coalescer.offer(heldA, T0 + 700 * MS);
        Event heldBLater = keyed("b");
        coalescer.offer(heldBLater, T0 + 800 * MS);

        assertEquals(List.of(heldA, heldBLater), coalescer.due(T0 + 1000 * MS).deliver(),
                "b's window ends; a's held event has a lower id, so it goes first although a's window is still open");
        assertEquals(Long.MAX_VALUE, coalescer.nextDue());
    }

    @Test
    void aHeldEventWhoseTimerIsLateGoesOutBeforeTheNextOffer() {
        coalescer.offer(keyed("dash"), T0);
        Event held = keyed("dash");
        coalescer.offer(held, T0 + 10 * MS);
        Event next = keyed("dash");

        Coalescer.Step step = coalescer.offer(next, T0 + 1500 * MS);
        assertEquals(List.of(held), step.deliver(), "the due one goes out and opens a window, which holds the new one");
        assertEquals(List.of(next), coalescer.due(T0 + 2500 * MS).deliver());
    }

    @Test
    void quietWindowsAreForgotten() {
        coalescer.offer(keyed("dash"), T0);
        assertFalse(coalescer.forgetQuiet(T0 + 999 * MS), "the window is still open");
        assertTrue(coalescer.forgetQuiet(T0 + 1000 * MS));
        coalescer.offer(keyed("dash"), T0);
        coalescer.offer(keyed("dash"), T0 + 1 * MS);
        assertFalse(coalescer.forgetQuiet(T0 + 5000 * MS), "a held event is never forgotten");
    }

    @Test
    void theWindowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Coalescer(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Coalescer(Duration.ofMillis(-1)));
    }

    private Event keyed(String key) {
        return event(key, false);
    }

    private Event event(String key, boolean critical) {
        return new Event(new EventId(nextId++), ROOM, "dashboard_update", "{}", Instant.EPOCH, Map.of(), critical, key);
    }
}

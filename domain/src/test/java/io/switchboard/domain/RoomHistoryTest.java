package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume answers of one room's history: exact gaps, or the precise reason a gap is lost. */
class RoomHistoryTest {
    private static final RoomName ROOM = new RoomName("demo:1");
    private static final long BASE = 1_000;
    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");

    @Test
    void appendAssignsIdsAboveTheBaseInOrder() {
        RoomHistory history = history(10, Duration.ofHours(1));
        assertEquals(Optional.of(new EventId(BASE)), history.lastId(), "before any event the position is the base");
        List<Event> events = appendAll(history, 3, T0);
        assertEquals(List.of(1001L, 1002L, 1003L), events.stream().map(e -> e.id().value()).toList());
        assertEquals(Optional.of(new EventId(1003)), history.lastId());
        assertEquals(T0, events.getFirst().timestamp());
        assertEquals("t0", events.getFirst().type());
    }

    @Test
    void appendRefusesAnotherRoomsDraft() {
        RoomHistory history = history(10, Duration.ofHours(1));
        EventDraft other = new EventDraft(new RoomName("demo:2"), "t", "1", null, false, null);
        assertThrows(IllegalArgumentException.class, () -> history.append(other, T0));
    }

    @Test
    void sinceInsideHistoryReplaysExactlyTheGap() {
        RoomHistory history = history(10, Duration.ofHours(1));
        appendAll(history, 5, T0);
        Replay.Gap gap = assertInstanceOf(Replay.Gap.class, history.since(new EventId(1002), T0));
        assertEquals(List.of(1003L, 1004L, 1005L), ids(gap.events()));
        assertEquals(Optional.of(new EventId(1005)), gap.lastId());
    }

    @Test
    void sinceTheBaseReplaysEverythingWhileNothingWasTrimmed() {
        RoomHistory history = history(10, Duration.ofHours(1));
        appendAll(history, 3, T0);
        Replay.Gap gap = assertInstanceOf(Replay.Gap.class, history.since(new EventId(BASE), T0));
        assertEquals(List.of(1001L, 1002L, 1003L), ids(gap.events()));
    }

    @Test
    void sinceTheLastIdIsAnEmptyGap() {
        RoomHistory history = history(10, Duration.ofHours(1));
        appendAll(history, 3, T0);
        Replay.Gap gap = assertInstanceOf(Replay.Gap.class, history.since(new EventId(1003), T0));
        assertEquals(List.of(), gap.events());
        assertEquals(Optional.of(new EventId(1003)), gap.lastId());
    }

    @Test
    void countTrimmingLosesOlderPositionsButKeepsTheOldestHeldReplayable() {
        RoomHistory history = history(3, Duration.ofHours(1));
        appendAll(history, 5, T0); // holds 1003..1005
        Replay.Lost lost = assertInstanceOf(Replay.Lost.class, history.since(new EventId(1001), T0));
        assertEquals(ResumeFailure.HISTORY_TRIMMED, lost.reason());
        assertEquals(Optional.of(new EventId(1003)), lost.oldestId());
        assertEquals(Optional.of(new EventId(1005)), lost.lastId());

        Replay.Gap gap = assertInstanceOf(Replay.Gap.class, history.since(new EventId(1002), T0));
        assertEquals(List.of(1003L, 1004L, 1005L), ids(gap.events()), "since just before the oldest held is still exact");
    }

    @Test
    void ageTrimmingLosesEventsOlderThanMaxAge() {
        RoomHistory history = history(100, Duration.ofMinutes(10));
        appendAll(history, 2, T0);                       // 1001, 1002: old
        appendAll(history, 2, T0.plus(Duration.ofMinutes(8))); // 1003, 1004
        Instant now = T0.plus(Duration.ofMinutes(12));

        Replay.Lost lost = assertInstanceOf(Replay.Lost.class, history.since(new EventId(1001), now));
        assertEquals(ResumeFailure.HISTORY_TRIMMED, lost.reason());
        assertEquals(Optional.of(new EventId(1003)), lost.oldestId());

        Replay.Gap gap = assertInstanceOf(Replay.Gap.class, history.since(new EventId(1002), now));
        assertEquals(List.of(1003L, 1004L), ids(gap.events()));
    }

    @Test
    void everythingAgedOutIsTrimmedWithNoOldestIdButTheLastIdStillAnswersEmpty() {
        RoomHistory history = history(100, Duration.ofMinutes(10));
        appendAll(history, 2, T0);
        Instant now = T0.plus(Duration.ofHours(1));
        Replay.Lost lost = assertInstanceOf(Replay.Lost.class, history.since(new EventId(1001), now));
        assertEquals(ResumeFailure.HISTORY_TRIMMED, lost.reason());
        assertEquals(Optional.empty(), lost.oldestId());
        assertEquals(Optional.of(new EventId(1002)), lost.lastId());

        Replay.Gap upToDate = assertInstanceOf(Replay.Gap.class, history.since(new EventId(1002), now));
        assertTrue(upToDate.events().isEmpty());
    }

    @Test
    void sinceAheadOfTheLastIdIsAnUnknownPosition() {
        RoomHistory history = history(10, Duration.ofHours(1));
        appendAll(history, 2, T0);
        Replay.Lost lost = assertInstanceOf(Replay.Lost.class, history.since(new EventId(1003), T0));
        assertEquals(ResumeFailure.UNKNOWN_POSITION, lost.reason());
        assertEquals(Optional.of(new EventId(1001)), lost.oldestId());
        assertEquals(Optional.of(new EventId(1002)), lost.lastId());
    }

    @Test
    void sinceBelowTheBaseIsAStreamReset() {
        RoomHistory history = history(10, Duration.ofHours(1));
        appendAll(history, 2, T0);
        Replay.Lost lost = assertInstanceOf(Replay.Lost.class, history.since(new EventId(BASE - 1), T0));
        assertEquals(ResumeFailure.STREAM_RESET, lost.reason());
        assertEquals(Optional.of(new EventId(1002)), lost.lastId());
    }

    @Test
    void sinceBelowTheBaseOfAnEmptyRoomIsAStreamResetToo() {
        RoomHistory history = history(10, Duration.ofHours(1));
        Replay.Lost lost = assertInstanceOf(Replay.Lost.class, history.since(new EventId(5), T0));
        assertEquals(ResumeFailure.STREAM_RESET, lost.reason());
        assertEquals(Optional.of(new EventId(BASE)), lost.lastId(), "the position to continue from is the base");
        assertEquals(Optional.empty(), lost.oldestId());
    }

    @Test
    void theBaseOfAnEmptyRoomIsAValidSince() {
        RoomHistory history = history(10, Duration.ofHours(1));
        assertEquals(List.of(), assertInstanceOf(Replay.Gap.class, history.since(new EventId(BASE), T0)).events());
        appendAll(history, 2, T0);
        assertEquals(2, assertInstanceOf(Replay.Gap.class, history.since(new EventId(BASE), T0)).events().size());
    }

    @Test
    void capacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RoomHistory(ROOM, 0, Duration.ofHours(1), BASE));
    }

    private static RoomHistory history(int capacity, Duration maxAge) {
        return new RoomHistory(ROOM, capacity, maxAge, BASE);
    }

    private static List<Event> appendAll(RoomHistory history, int count, Instant at) {
        return IntStream.range(0, count)
                .mapToObj(i -> history.append(new EventDraft(ROOM, "t" + i, "{\"n\":" + i + "}", null, false, null), at))
                .toList();
    }

    private static List<Long> ids(List<Event> events) {
        return events.stream().map(e -> e.id().value()).toList();
    }
}

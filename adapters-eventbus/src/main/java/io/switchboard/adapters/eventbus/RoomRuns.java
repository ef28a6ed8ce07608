package io.switchboard.adapters.eventbus;

import io.switchboard.domain.RoomName;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Splits a batch into its runs of consecutive items of one room, in order: what a listener hears
 * together ({@code EventListener.onEvents}), so a publish of many events to one room is fanned out
 * as one run instead of event by event.
 */
final class RoomRuns {
    private RoomRuns() {
    }

    static <T> List<List<T>> of(List<T> items, Function<T, RoomName> room) {
        List<List<T>> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= items.size(); i++) {
            if (i == items.size() || !room.apply(items.get(i)).equals(room.apply(items.get(start)))) {
                runs.add(items.subList(start, i));
                start = i;
            }
        }
        return runs;
    }
}

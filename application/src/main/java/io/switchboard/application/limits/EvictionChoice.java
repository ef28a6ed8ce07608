package io.switchboard.application.limits;

import io.switchboard.application.port.LimitSettings;
import io.switchboard.application.port.out.ConnectionLedger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** Which held places a limit's policy gives up so that one more connection fits; shared by every ledger. */
public final class EvictionChoice {
    private EvictionChoice() {
    }

    /**
     * Adds to {@code victims} the places of {@code held} (oldest first) to free so that one more
     * fits under {@code limit}; places already in {@code victims} no longer count.
     *
     * @return false when the limit is full and its policy rejects
     */
    public static <P> boolean makeRoom(List<P> held, ConnectionLedger.Limit limit, List<P> victims, Function<P, Duration> idle) {
        if (!limit.bounded()) {
            return true;
        }
        List<P> remaining = new ArrayList<>(held);
        remaining.removeAll(victims);
        int excess = remaining.size() - limit.max() + 1;
        if (excess <= 0) {
            return true;
        }
        if (limit.policy() == LimitSettings.LimitPolicy.REJECT) {
            return false;
        }
        if (limit.policy() == LimitSettings.LimitPolicy.EVICT_OLDEST_IDLE) {
            // A stable sort: among equally idle connections the oldest goes first.
            remaining.sort(Comparator.comparing(idle).reversed());
        }
        victims.addAll(remaining.subList(0, excess));
        return true;
    }
}

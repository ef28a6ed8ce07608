package io.switchboard.application.port.in;

import io.switchboard.application.stats.StatsSnapshot;

/** The hub's live statistics. */
public interface StatsQuery {
    StatsSnapshot stats();
}

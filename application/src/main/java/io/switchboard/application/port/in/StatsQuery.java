package io.switchboard.application.port.in;

import io.switchboard.application.port.StatsSnapshot;

/** The hub's live statistics. */
public interface StatsQuery {
    StatsSnapshot stats();
}

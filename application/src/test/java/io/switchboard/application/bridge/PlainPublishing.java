package io.switchboard.application.bridge;

import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.PublishReceipts;
import io.switchboard.application.port.in.PublishReceipt;
import io.switchboard.application.publish.PublishService;
import io.switchboard.application.publish.PublishSettings;
import io.switchboard.application.rooms.NoRooms;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.hub.HubMetrics;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The bridge tests' publishing: default settings onto {@code bus}, no idempotency receipts, no declared rooms. */
final class PlainPublishing {
    private PlainPublishing() {
    }

    static PublishService onto(EventBus bus, HubMetrics metrics) {
        return new PublishService(PublishSettings.defaults(), bus, new NoReceipts(), metrics,
                new RoomRules(Set.of(), Map.of(), new NoRooms()));
    }


    private static final class NoReceipts implements PublishReceipts {
        @Override
        public Optional<PublishReceipt> find(String key) {
            return Optional.empty();
        }

        @Override
        public void remember(String key, PublishReceipt receipt) {
        }
    }
}

package io.switchboard.adapters.sse;

import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Delivery;
import io.switchboard.application.hub.MessageRenderer;
import io.switchboard.application.hub.Outbound;
import io.switchboard.domain.RoomName;

/**
 * One stream's framing: each message becomes an SSE block with {@code event:} = its type and
 * {@code data:} = its canonical JSON (which never holds a raw line break). Room events and
 * {@code joined} add {@code id:} from {@link StreamPositions}, so a client resumes every room from
 * where it stood even if no event came yet; {@code disconnect} adds {@code retry:}.
 */
final class SseDialect implements MessageRenderer {
    private final CanonicalDialect canonical;
    private final StreamPositions positions;

    SseDialect(CanonicalDialect canonical, StreamPositions positions) {
        this.canonical = canonical;
        this.positions = positions;
    }

    @Override
    public String render(Outbound message) {
        String json = canonical.render(message);
        StringBuilder block = new StringBuilder(json.length() + 96);
        if (message instanceof Delivery delivery) {
            String id = delivery.event().id().toString();
            block.append("id: ").append(positions.advance(delivery.event().room(), id)).append('\n');
        } else if (message instanceof Outbound.Joined joined && joined.lastId() != null && !Boolean.TRUE.equals(joined.recovered())) {
            // After a recovered join the stream stands at its since until the replayed events move it on.
            block.append("id: ").append(positions.advance(new RoomName(joined.room()), joined.lastId())).append('\n');
        } else if (message instanceof Outbound.Disconnect disconnect && disconnect.retryAfterMs() != null) {
            block.append("retry: ").append(disconnect.retryAfterMs()).append('\n');
        }
        block.append("event: ").append(CanonicalDialect.typeOf(message)).append('\n');
        for (String line : json.split("\n", -1)) {
            block.append("data: ").append(line).append('\n');
        }
        return block.append('\n').toString();
    }
}

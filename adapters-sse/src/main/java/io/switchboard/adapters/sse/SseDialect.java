package io.switchboard.adapters.sse;

import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Delivery;
import io.switchboard.application.hub.MessageRenderer;
import io.switchboard.application.hub.Outbound;
import io.switchboard.domain.Event;
import io.switchboard.domain.RoomName;

import java.util.function.Function;

/**
 * One stream's framing: each message becomes an SSE block with {@code event:} = its type and
 * {@code data:} = its canonical JSON (which never holds a raw line break). Room events and
 * {@code joined} add {@code id:} from {@link StreamPositions}, so a client resumes every room from
 * where it stood even if no event came yet; {@code disconnect} adds {@code retry:}.
 */
final class SseDialect implements MessageRenderer {
    /** One instance for every stream, so every one-room stream shares an event's block (and its encoding). */
    private static final Function<Event, String> ONE_ROOM_BLOCKS = SseDialect::oneRoomBlock;

    private final CanonicalDialect canonical;
    private final StreamPositions positions;

    SseDialect(CanonicalDialect canonical, StreamPositions positions) {
        this.canonical = canonical;
        this.positions = positions;
    }

    @Override
    public String render(Outbound message) {
        if (message instanceof Delivery delivery) {
            String id = delivery.event().id().toString();
            String position = positions.advance(delivery.event().room(), id);
            if (position.equals(id)) {
                return delivery.frame(ONE_ROOM_BLOCKS); // the same block for every one-room stream
            }
            return block("id: " + position, message, canonical.render(message));
        }
        String json = canonical.render(message);
        if (message instanceof Outbound.Joined joined && joined.lastId() != null && !Boolean.TRUE.equals(joined.recovered())) {
            // After a recovered join the stream stands at its since until the replayed events move it on.
            return block("id: " + positions.advance(new RoomName(joined.room()), joined.lastId()), message, json);
        }
        if (message instanceof Outbound.Disconnect disconnect && disconnect.retryAfterMs() != null) {
            return block("retry: " + disconnect.retryAfterMs(), message, json);
        }
        return block(null, message, json);
    }

    /** A room event's block on a one-room stream, whose {@code id:} is the event's own id: rendered once per event. */
    private static String oneRoomBlock(Event event) {
        return block("id: " + event.id(), event.type(), CanonicalDialect.renderEvent(event));
    }

    private static String block(String firstLine, Outbound message, String json) {
        return block(firstLine, CanonicalDialect.typeOf(message), json);
    }

    private static String block(String firstLine, String type, String json) {
        StringBuilder block = new StringBuilder(json.length() + 96);
        if (firstLine != null) {
            block.append(firstLine).append('\n');
        }
        block.append("event: ").append(type).append('\n');
        for (String line : json.split("\n", -1)) {
            block.append("data: ").append(line).append('\n');
        }
        return block.append('\n').toString();
    }
}

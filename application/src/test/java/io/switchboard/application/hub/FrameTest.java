package io.switchboard.application.hub;

import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** An event's frame is rendered and encoded once, however many subscribers' writers take it. */
class FrameTest {

    @Test
    void anEncodingIsComputedOncePerEncoderAndSharedByEveryoneHoldingTheFrame() {
        AtomicInteger encodings = new AtomicInteger();
        Function<String, String> upper = text -> {
            encodings.incrementAndGet();
            return text.toUpperCase();
        };
        Frame frame = Frame.of("event");

        assertEquals("EVENT", frame.encoded(upper));
        assertSame(frame.encoded(upper), frame.encoded(upper));
        assertEquals(1, encodings.get());
        assertEquals(5, frame.encoded(String::length), "another encoder gets its own encoding");
    }

    @Test
    void writersOfOneDeliveryShareItsFrameButNotAFrameOfOtherText() {
        Delivery delivery = new Delivery(event(), 0, true);
        Function<Event, String> dialect = e -> "{\"id\":\"" + e.id() + "\"}";
        String rendered = delivery.frame(dialect);

        assertSame(delivery.shared(rendered), delivery.shared(delivery.frame(dialect)),
                "every subscriber of the dialect gets the same frame object");
        String equalText = new String(rendered.toCharArray());
        assertNotSame(delivery.shared(rendered), delivery.shared(equalText), "text the dialect made elsewhere is its own frame");
        assertEquals(rendered, delivery.shared(equalText).text());
    }

    @Test
    void subscribersInTwoDialectsDoNotTakeTurnsRenderingTheEventAgain() {
        Delivery delivery = new Delivery(event(), 0, true);
        AtomicInteger renders = new AtomicInteger();
        Function<Event, String> websocket = e -> "ws " + renders.incrementAndGet();
        Function<Event, String> sse = e -> "sse " + renders.incrementAndGet();

        for (int subscriber = 0; subscriber < 10; subscriber++) {
            delivery.frame(subscriber % 2 == 0 ? websocket : sse);
        }

        assertEquals(2, renders.get(), "rendered once per dialect");
        assertEquals("ws 1", delivery.frame(websocket));
        assertEquals("sse 2", delivery.frame(sse));
    }

    private static Event event() {
        return new Event(new EventId(7), new RoomName("demo:1"), "tick", "{}", Instant.EPOCH, Map.of(), false, null);
    }
}

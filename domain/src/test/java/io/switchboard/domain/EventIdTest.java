package io.switchboard.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event ids on the wire are plain decimal numbers; anything else is refused with one readable message. */
class EventIdTest {

    @Test
    void parsesDecimalIdsAndPrintsThemBack() {
        assertEquals(new EventId(0), EventId.parse("0"));
        assertEquals(new EventId(1764000000000001L), EventId.parse("1764000000000001"));
        assertEquals(new EventId(Long.MAX_VALUE), EventId.parse(Long.toString(Long.MAX_VALUE)));
        assertEquals("42", EventId.parse("42").toString());
        assertEquals(new EventId(7), EventId.parse("007"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-1", "+1", "1.5", "1e3", " 1", "1 ", "abc", "0x10", "١٢", "9223372036854775808", "12345678901234567890"})
    void refusesAnythingButADecimalLong(String wire) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventId.parse(wire));
        assertEquals("event id must be a decimal number", e.getMessage());
    }

    @Test
    void negativeIdsCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new EventId(-1));
    }

    @Test
    void ordersByValueNotByText() {
        assertTrue(EventId.parse("10").after(EventId.parse("9")));
        assertTrue(EventId.parse("9").compareTo(EventId.parse("10")) < 0);
    }
}

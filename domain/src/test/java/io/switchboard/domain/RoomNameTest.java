package io.switchboard.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Room names: {@code [A-Za-z0-9_.:@-]{1,128}}, {@code $} reserved for the hub, namespace before the first colon. */
class RoomNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "demo:1", "webhook:abc-123", "user@example.com", "a.b_c-d:e:f", "$stats", "Z9"})
    void acceptsNamesOfTheAllowedCharacters(String name) {
        assertNull(RoomName.problemWith(name));
        assertEquals(name, new RoomName(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/room", "ümlaut", "semi;colon", "$", "$$stats", "a$b", "tab\t", "quote\""})
    void refusesOtherCharactersWithAReadableProblem(String name) {
        String problem = RoomName.problemWith(name);
        assertNotNull(problem, name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RoomName(name));
        assertEquals(problem, e.getMessage());
    }

    @Test
    void missingNameIsNamedAsMissing() {
        assertEquals("room name is missing", RoomName.problemWith(null));
        assertEquals("room name is missing", RoomName.problemWith(""));
    }

    @Test
    void lengthLimitIs128Characters() {
        assertNull(RoomName.problemWith("r".repeat(128)));
        assertNotNull(RoomName.problemWith("r".repeat(129)));
        assertNull(RoomName.problemWith("$" + "r".repeat(128)), "the $ prefix does not count against the limit");
    }

    @Test
    void namespaceIsThePartBeforeTheFirstColon() {
        assertEquals("webhook", new RoomName("webhook:abc-123").namespace());
        assertEquals("a", new RoomName("a:b:c").namespace());
        assertEquals("lobby", new RoomName("lobby").namespace());
        assertEquals("", new RoomName(":x").namespace());
    }

    @Test
    void onlyDollarPrefixedRoomsAreReserved() {
        assertTrue(new RoomName("$stats").reserved());
        assertTrue(new RoomName("$audit").reserved());
        assertFalse(new RoomName("stats").reserved());
        assertFalse(new RoomName("demo:1").reserved());
    }
}

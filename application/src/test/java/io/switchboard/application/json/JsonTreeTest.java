package io.switchboard.application.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application's own JSON reader and writer: what goes in comes out, numbers exactly as written. */
class JsonTreeTest {

    @Test
    void valuesRoundTripWithFieldOrderAndNumbersKept() {
        String json = "{\"b\":1,\"a\":[true,false,null,-0.5e+10,12345678901234567890123],\"c\":{\"d\":\"x\\\"y\\\\z\\n\\u00e9\"},\"e\":\"\"}";
        assertEquals(json.replace("\\u00e9", "é"), JsonTree.write(JsonTree.parse(json)));
    }

    @Test
    void whitespaceIsAllowedBetweenTokens() {
        Object tree = JsonTree.parse(" { \"a\" : [ 1 , { } , [ ] ] }\n");
        assertEquals(Map.of("a", List.of(new JsonTree.Number("1"), Map.of(), List.of())), tree);
    }

    @Test
    void escapesAreDecodedAndSurrogatePairsSurvive() {
        assertEquals("😀/\t", JsonTree.parse("\"\\ud83d\\ude00\\/\\t\""));
    }

    @Test
    void scalarTextIsForTemplates() {
        assertEquals("42", JsonTree.scalarText(new JsonTree.Number("42")));
        assertEquals("true", JsonTree.scalarText(Boolean.TRUE));
        assertEquals("s", JsonTree.scalarText("s"));
        assertNull(JsonTree.scalarText(null));
        assertNull(JsonTree.scalarText(Map.of()));
        assertNull(JsonTree.scalarText(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "01", "1.", "-", "tru", "\"open", "\"\\x\"", "{} {}", "{'a':1}",
            "\"a\u0001\"", "nul"})
    void malformedTextIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> JsonTree.parse(text));
    }

    @Test
    void deepNestingIsRefusedRatherThanOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(IllegalArgumentException.class, () -> JsonTree.parse(deep));
    }

    @Test
    void sixtyFourLevelsAreReadAndSixtyFiveRefusedNamingTheLimit() {
        String sixtyFour = "[".repeat(64) + "]".repeat(64);
        assertEquals(sixtyFour, JsonTree.write(JsonTree.parse(sixtyFour)));
        IllegalArgumentException deeper = assertThrows(IllegalArgumentException.class,
                () -> JsonTree.parse("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}"));
        assertEquals("JSON at character 68 is nested deeper than 64 levels", deeper.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e309", "-1e309", "[1.8e308]", "{\"n\":-123456789012345678901234567890e300}"})
    void numbersBeyondTheRangeOfADoubleAreRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonTree.parse(text));
        assertTrue(e.getMessage().contains("beyond the range of a 64-bit float"), e.getMessage());
    }

    @Test
    void numbersADoubleWouldReadAsZeroAreRefusedAndRealZerosKept() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonTree.parse("1e-400"));
        assertTrue(e.getMessage().contains("too close to zero"), e.getMessage());
        assertEquals("[0,-0.0,0e5,0.000e-999,1.7976931348623157e308,4.9e-324]",
                JsonTree.write(JsonTree.parse("[0,-0.0,0e5,0.000e-999,1.7976931348623157e308,4.9e-324]")));
    }
}

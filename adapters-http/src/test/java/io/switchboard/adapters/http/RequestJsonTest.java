package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the JSON routes accept and refuse, and the words a client reads when refused (SPEC 15). */
class RequestJsonTest {

    @Test
    void sixtyFourLevelsAreReadAndSixtyFiveRefusedWithWhere() {
        JsonNode tree = RequestJson.parse("[".repeat(64) + "]".repeat(64), "x");
        assertEquals(1, tree.size());
        assertEquals("the JSON is nested deeper than 64 levels (line 1, column 65)", refusal("[".repeat(65) + "]".repeat(65)));
        assertEquals("the JSON is nested deeper than 64 levels (line 2, column 65)", refusal("\n" + "[".repeat(100_000)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1e309                      | the number 1e309 (line 1, column 1) is beyond the range of a 64-bit float (IEEE 754 double, about ±1.8e308)",
            "[-1.8e308]                 | the number -1.8e308 (line 1, column 2) is beyond the range of a 64-bit float (IEEE 754 double, about ±1.8e308)",
            "{\"n\":1e-400}             | the number 1e-400 (line 1, column 6) is too close to zero for a 64-bit float (IEEE 754 double, about 4.9e-324)",
            "[0.0000000000000000000001e-320] | the number 0.0000000000…(29 characters) (line 1, column 2) is too close to zero for a 64-bit float (IEEE 754 double, about 4.9e-324)"})
    void numbersADoubleCannotHoldAreRefusedNamingThem(String json, String message) {
        assertEquals(message, refusal(json));
    }

    @Test
    void aHugeIntegerIsRefusedWithoutBeingConverted() {
        String digits = "7".repeat(1_000_000);
        assertEquals("the number 777777777777…(1000000 characters) (line 1, column 1) is beyond the range of a 64-bit float"
                + " (IEEE 754 double, about ±1.8e308)", refusal(digits));
    }

    @Test
    void numbersWithinRangeAreKept() {
        JsonNode tree = RequestJson.parse("[0, -0.0, 0e-999, 4.9e-324, 1.7976931348623157e308, 123456789012345678901234567890, 1"
                + "0".repeat(300) + "]", "x");
        assertEquals(7, tree.size());
        assertEquals("123456789012345678901234567890", tree.get(5).toString());
        assertEquals(Double.MAX_VALUE, tree.get(4).doubleValue());
    }

    @Test
    void malformedOrTrailingOrEmptyTextIsNamedWithoutTheParsersWords() {
        assertEquals("the body is not valid JSON (line 1, column 6)", refusal("{\"a\":}"));
        assertEquals("the body holds more than one JSON value (line 1, column 4)", refusal("{} []"));
        assertEquals("the body is empty; send x", refusal(" \n\t"));
        assertEquals("the body is not valid JSON (line 1, column 5)", refusal("[NaN]"));
    }

    private static String refusal(String json) {
        RejectedRequest rejected = assertThrows(RejectedRequest.class, () -> RequestJson.parse(json, "x"));
        assertEquals(Status.BAD_REQUEST_400, rejected.status());
        return rejected.getMessage();
    }
}

package io.switchboard.adapters.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.application.json.JsonTree;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a request's JSON text into a tree, refusing what the hub would otherwise store changed or
 * choke on (SPEC 15): more than {@link JsonTree#MAX_DEPTH} nested levels, numbers a 64-bit float
 * (what every client reads a JSON number as) would see as Infinity or as 0, text after the value.
 * Every refusal is a 400 whose message names the problem and where it is, never the parser's text.
 */
final class RequestJson {
    /**
     * The hub checks depth and numbers itself, with its own messages; the parser's length limits are
     * lifted so that it never refuses first (the body's size is capped before it is read).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();
    private static final ObjectMapper TREES = new ObjectMapper(FACTORY);
    /** An integer with more digits is beyond a double's range (about 1.8e308) whatever its digits. */
    private static final int MAX_INTEGER_DIGITS = 309;

    private RequestJson() {
    }

    /**
     * @param expected what the body should hold, for the message about an empty one ("an event object or an array of events")
     * @throws RejectedRequest 400 naming the problem
     */
    static JsonNode parse(String text, String expected) {
        try {
            check(text, expected);
            return TREES.readTree(text);
        } catch (StreamConstraintsException e) {
            // not expected with the limits above; the parser's text stays out of the answer
            throw RejectedRequest.invalid("the body exceeds a limit of the JSON reader");
        } catch (JsonProcessingException e) {
            throw RejectedRequest.invalid("the body is not valid JSON" + where(e.getLocation()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail otherwise
        }
    }

    /** One pass over the tokens: every limit is checked before a tree is built. */
    private static void check(String text, String expected) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw RejectedRequest.invalid("the body is empty; send " + expected);
            }
            int depth = 0;
            while (true) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > JsonTree.MAX_DEPTH) {
                            throw RejectedRequest.invalid("the JSON is nested deeper than " + JsonTree.MAX_DEPTH + " levels"
                                    + where(parser.currentTokenLocation()));
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> checkRange(parser, token);
                    default -> {
                    }
                }
                if (depth == 0) {
                    if (parser.nextToken() != null) {
                        throw RejectedRequest.invalid("the body holds more than one JSON value" + where(parser.currentTokenLocation()));
                    }
                    return;
                }
                token = parser.nextToken();
            }
        }
    }

    /** Kept as a double downstream: a number beyond its range would be stored as "Infinity", one below it as 0. */
    private static void checkRange(JsonParser parser, JsonToken token) throws IOException {
        int length = parser.getTextLength();
        if (token == JsonToken.VALUE_NUMBER_INT && length <= 18) {
            return;
        }
        String literal = parser.getText();
        int digits = literal.startsWith("-") ? length - 1 : length;
        boolean beyond = token == JsonToken.VALUE_NUMBER_INT && digits > MAX_INTEGER_DIGITS;
        double value = beyond ? Double.POSITIVE_INFINITY : Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            throw RejectedRequest.invalid("the number " + shortened(literal) + where(parser.currentTokenLocation())
                    + " is beyond the range of a 64-bit float (IEEE 754 double, about ±1.8e308)");
        }
        if (value == 0 && literal.matches("-?[0.]*[1-9].*")) {
            throw RejectedRequest.invalid("the number " + shortened(literal) + where(parser.currentTokenLocation())
                    + " is too close to zero for a 64-bit float (IEEE 754 double, about 4.9e-324)");
        }
    }

    private static String shortened(String literal) {
        return literal.length() <= 24 ? literal : literal.substring(0, 12) + "…(" + literal.length() + " characters)";
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}

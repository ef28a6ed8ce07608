package io.switchboard.application.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the application layer, which must not depend on a JSON
 * library: objects become {@link LinkedHashMap}s (field order kept), arrays {@link ArrayList}s,
 * strings {@link String}s, {@code true}/{@code false} {@link Boolean}s, {@code null} Java null,
 * and numbers {@link Number}s holding their literal, so nothing is rounded on the way through.
 */
public final class JsonTree {
    /**
     * Most objects and arrays nested in one another (SPEC 15): deeper documents are refused by every
     * reader of the hub, so nothing deeper is stored, and a reader never runs out of stack.
     */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int at;

    private JsonTree(String text) {
        this.text = text;
    }

    /** A JSON number exactly as written. */
    public record Number(String literal) {
        @Override
        public String toString() {
            return literal;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code json} is not one JSON value
     */
    public static Object parse(String json) {
        JsonTree reader = new JsonTree(json);
        reader.space();
        Object value = reader.value(0);
        reader.space();
        if (reader.at != json.length()) {
            throw reader.fail("unexpected text after the value");
        }
        return value;
    }

    /** The JSON text of a tree built from the types {@link #parse} returns. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    /** The text a template shows for a value: strings as they are, numbers and booleans as written; otherwise {@code null}. */
    public static String scalarText(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : null;
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> JsonText.quote(out, s);
            case Map<?, ?> object -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> field : object.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    JsonText.quote(out, (String) field.getKey());
                    out.append(':');
                    write(field.getValue(), out);
                }
                out.append('}');
            }
            case List<?> array -> {
                out.append('[');
                for (int i = 0; i < array.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(array.get(i), out);
                }
                out.append(']');
            }
            case Number n -> out.append(n.literal());
            case Boolean b -> out.append(b.booleanValue());
            default -> throw new IllegalArgumentException("not a JSON tree value: " + value.getClass().getName());
        }
    }

    private Object value(int depth) {
        if (at >= text.length()) {
            throw fail("a value is missing");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw fail("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        enter(depth);
        Map<String, Object> object = new LinkedHashMap<>();
        at++;
        space();
        if (peek() == '}') {
            at++;
            return object;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw fail("a field name is missing");
            }
            String name = string();
            space();
            expect(':');
            space();
            object.put(name, value(depth + 1));
            space();
            if (peek() == ',') {
                at++;
            } else {
                expect('}');
                return object;
            }
        }
    }

    private List<Object> array(int depth) {
        enter(depth);
        List<Object> array = new ArrayList<>();
        at++;
        space();
        if (peek() == ']') {
            at++;
            return array;
        }
        while (true) {
            space();
            array.add(value(depth + 1));
            space();
            if (peek() == ',') {
                at++;
            } else {
                expect(']');
                return array;
            }
        }
    }

    /** {@code depth} containers enclose the one starting here. */
    private void enter(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("JSON at character " + at + " is nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() {
        at++;
        StringBuilder sb = null;
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"') {
                String value = sb == null ? text.substring(start, at) : sb.append(text, start, at).toString();
                at++;
                return value;
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, start, at);
                at++;
                sb.append(escape());
                start = at;
            } else if (c < 0x20) {
                throw fail("a control character in a string");
            } else {
                at++;
            }
        }
        throw fail("a string is not closed");
    }

    private char escape() {
        if (at >= text.length()) {
            throw fail("a string is not closed");
        }
        char c = text.charAt(at++);
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (at + 4 > text.length()) {
                    throw fail("a \\u escape is cut short");
                }
                try {
                    char unit = (char) Integer.parseInt(text.substring(at, at + 4), 16);
                    at += 4;
                    yield unit;
                } catch (NumberFormatException e) {
                    throw fail("a \\u escape is not hexadecimal");
                }
            }
            default -> throw fail("unknown escape \\" + c);
        };
    }

    private Number number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (!digits()) {
            throw fail("a number has no digits");
        }
        if (peek() == '.') {
            at++;
            if (!digits()) {
                throw fail("a number has no digits after the point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!digits()) {
                throw fail("a number has no exponent digits");
            }
        }
        String literal = text.substring(start, at);
        // kept as written, but every client reads numbers as IEEE doubles: one they would read as
        // Infinity, or as 0 when it is not, is refused rather than passed on
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("the number at character " + start + " is beyond the range of a 64-bit float (IEEE 754 double)");
        }
        if (value == 0 && literal.matches("-?[0.]*[1-9].*")) {
            throw new IllegalArgumentException("the number at character " + start + " is too close to zero for a 64-bit float (IEEE 754 double)");
        }
        return new Number(literal);
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    private Object word(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw fail("unexpected character '" + text.charAt(at) + "'");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw fail("expected '" + c + "'");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void space() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private IllegalArgumentException fail(String problem) {
        return new IllegalArgumentException("not JSON at character " + at + ": " + problem);
    }
}

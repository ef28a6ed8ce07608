package io.switchboard.application.json;

/** Builds one JSON object as text; values that are already JSON are inserted as they are. */
public final class JsonText {
    private final StringBuilder out;
    private boolean first = true;

    public JsonText(int capacity) {
        out = new StringBuilder(capacity).append('{');
    }

    public JsonText string(String name, String value) {
        if (value != null) {
            name(name);
            quote(out, value);
        }
        return this;
    }

    public JsonText number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    public JsonText number(String name, double value) {
        name(name);
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        return this;
    }

    public JsonText bool(String name, Boolean value) {
        if (value != null) {
            name(name);
            out.append(value.booleanValue());
        }
        return this;
    }

    /** Inserts {@code json}, which must already be a JSON value. */
    public JsonText raw(String name, String json) {
        name(name);
        out.append(json);
        return this;
    }

    public String close() {
        return out.append('}').toString();
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(out, name);
        out.append(':');
    }

    public static String quoted(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2);
        quote(sb, value);
        return sb.toString();
    }

    /** Appends {@code value} as a JSON string. */
    public static void quote(StringBuilder sb, String value) {
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}

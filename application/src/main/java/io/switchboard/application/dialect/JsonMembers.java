package io.switchboard.application.dialect;

import java.util.ArrayList;
import java.util.List;

/**
 * The top-level members of a JSON object given as text, each with its value as JSON text. The input
 * is JSON the hub already accepted (event data, its own messages), so this only splits, it does not validate.
 */
final class JsonMembers {
    record Member(String name, String value) {
    }

    private JsonMembers() {
    }

    /** The members of {@code json}, or {@code null} when it is not an object. */
    static List<Member> of(String json) {
        int start = skipSpace(json, 0);
        if (start >= json.length() || json.charAt(start) != '{') {
            return null;
        }
        List<Member> members = new ArrayList<>();
        int i = skipSpace(json, start + 1);
        if (i < json.length() && json.charAt(i) == '}') {
            return members;
        }
        while (i < json.length()) {
            int nameEnd = endOfString(json, i);
            String name = unquote(json.substring(i, nameEnd));
            int valueStart = skipSpace(json, skipSpace(json, nameEnd) + 1); // past ':'
            int valueEnd = endOfValue(json, valueStart);
            members.add(new Member(name, json.substring(valueStart, valueEnd).strip()));
            i = skipSpace(json, valueEnd);
            if (i >= json.length() || json.charAt(i) == '}') {
                break;
            }
            i = skipSpace(json, i + 1); // past ','
        }
        return members;
    }

    /** Index just past the string starting at {@code i} (which is its opening quote). */
    private static int endOfString(String json, int i) {
        for (int j = i + 1; j < json.length(); j++) {
            char c = json.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j + 1;
            }
        }
        return json.length();
    }

    /** Index just past the value starting at {@code i}: at the ',' or '}' that ends it at depth 0. */
    private static int endOfValue(String json, int i) {
        int depth = 0;
        int j = i;
        while (j < json.length()) {
            char c = json.charAt(j);
            if (c == '"') {
                j = endOfString(json, j);
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return j;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return j;
            }
            j++;
        }
        return j;
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The text of a quoted JSON string. */
    private static String unquote(String quoted) {
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = quoted.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}

package io.switchboard.application.port;

import io.switchboard.application.json.JsonText;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code {name}} placeholders, as configured endpoints use them for paths, rooms
 * ({@code user:{userId}}) and the fields of their {@code connected} message. A placeholder written
 * {@code {name|number}} asks for a JSON number where the whole template is that one placeholder.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)(\\|number)?}");
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,17})?");

    private final String text;
    private final Set<String> names = new LinkedHashSet<>();
    /** The one placeholder the template consists of, or {@code null}. */
    private final String whole;
    private final boolean number;

    private Template(String text) {
        this.text = Objects.requireNonNull(text, "text");
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        Matcher alone = PLACEHOLDER.matcher(text);
        boolean single = alone.matches();
        whole = single ? alone.group(1) : null;
        number = single && alone.group(2) != null;
    }

    public static Template of(String text) {
        return new Template(text);
    }

    /** The placeholders' names, in order of first use. */
    public Set<String> names() {
        return Set.copyOf(names);
    }

    public String text() {
        return text;
    }

    /**
     * The text with every placeholder replaced by its value; {@code null} when a value is missing
     * (a room named after an anonymous client's subject cannot be made up).
     */
    public String expand(Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 16);
        while (m.find()) {
            String value = values.apply(m.group(1));
            if (value == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The template as a JSON value: a number for {@code {name|number}} when the value is one, {@code null}
     * for a lone placeholder without a value, otherwise a string (a missing value inside a longer
     * text counts as empty).
     */
    public String json(Function<String, String> values) {
        if (whole != null) {
            String value = values.apply(whole);
            if (value == null) {
                return "null";
            }
            return number && JSON_NUMBER.matcher(value).matches() ? value : JsonText.quoted(value);
        }
        return JsonText.quoted(expand(name -> Objects.requireNonNullElse(values.apply(name), "")));
    }

    @Override
    public String toString() {
        return text;
    }
}

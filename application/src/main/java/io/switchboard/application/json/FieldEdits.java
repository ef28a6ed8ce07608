package io.switchboard.application.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes and shortens fields of a JSON value by name, at any depth: in nested objects and in
 * objects inside arrays. Shortening counts characters as code points, so a cut never splits an
 * emoji; it applies to string values only.
 *
 * @param drop     field names removed wherever they occur
 * @param truncate field name -> most characters its string value keeps
 */
public record FieldEdits(Set<String> drop, Map<String, Integer> truncate) {
    public static final FieldEdits NONE = new FieldEdits(Set.of(), Map.of());

    public FieldEdits {
        drop = Set.copyOf(drop);
        truncate = Map.copyOf(truncate);
        for (Map.Entry<String, Integer> field : truncate.entrySet()) {
            if (field.getValue() < 0) {
                throw new IllegalArgumentException("truncate " + field.getKey() + ": " + field.getValue() + " is negative");
            }
        }
    }

    public boolean none() {
        return drop.isEmpty() && truncate.isEmpty();
    }

    /**
     * Edits {@code json} text.
     *
     * @return the edited text, or {@code json} itself (the same instance) when nothing was changed
     * @throws IllegalArgumentException when {@code json} is not JSON
     */
    public String apply(String json) {
        if (none()) {
            return json;
        }
        Object tree = JsonTree.parse(json);
        return applyTo(tree) ? JsonTree.write(tree) : json;
    }

    /** Edits a tree from {@link JsonTree#parse} in place; returns whether anything changed. */
    public boolean applyTo(Object tree) {
        boolean changed = false;
        if (tree instanceof Map<?, ?> object) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) object;
            for (Iterator<Map.Entry<String, Object>> it = fields.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Object> field = it.next();
                if (drop.contains(field.getKey())) {
                    it.remove();
                    changed = true;
                    continue;
                }
                Integer max = truncate.get(field.getKey());
                if (max != null && field.getValue() instanceof String text && text.codePointCount(0, text.length()) > max) {
                    field.setValue(text.substring(0, text.offsetByCodePoints(0, max)));
                    changed = true;
                    continue;
                }
                changed |= applyTo(field.getValue());
            }
        } else if (tree instanceof List<?> array) {
            for (Object element : array) {
                changed |= applyTo(element);
            }
        }
        return changed;
    }
}

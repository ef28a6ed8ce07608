package io.switchboard.application.json;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Dropping and shortening fields by name, at any depth. */
class FieldEditsTest {

    @Test
    void dropRemovesTheFieldAtEveryDepthIncludingObjectsInArrays() {
        FieldEdits edits = new FieldEdits(Set.of("query", "sql"), Map.of());
        String json = "{\"query\":\"SELECT 1\",\"rows\":3,\"steps\":[{\"sql\":\"x\",\"ms\":2},[{\"query\":\"y\"}]],\"inner\":{\"deeper\":{\"sql\":\"z\",\"ok\":true}}}";
        assertEquals("{\"rows\":3,\"steps\":[{\"ms\":2},[{}]],\"inner\":{\"deeper\":{\"ok\":true}}}", edits.apply(json));
    }

    @Test
    void truncateCountsCodePointsAndTouchesStringsOnly() {
        FieldEdits edits = new FieldEdits(Set.of(), Map.of("contentPreview", 3));
        assertEquals("{\"m\":{\"contentPreview\":\"😀😀😀\"},\"list\":[{\"contentPreview\":\"abc\"}],\"n\":{\"contentPreview\":12345}}",
                edits.apply("{\"m\":{\"contentPreview\":\"😀😀😀😀\"},\"list\":[{\"contentPreview\":\"abcdef\"}],\"n\":{\"contentPreview\":12345}}"));
    }

    @Test
    void unchangedTextIsReturnedAsItIs() {
        String json = "{\"contentPreview\":\"abc\",\"a\":1.50}";
        assertSame(json, new FieldEdits(Set.of("other"), Map.of("contentPreview", 3)).apply(json));
        assertSame(json, FieldEdits.NONE.apply(json));
    }

    @Test
    void aDroppedFieldIsNotSearchedFurther() {
        assertEquals("{}", new FieldEdits(Set.of("error"), Map.of("message", 1)).apply("{\"error\":{\"message\":\"long\"}}"));
    }

    @Test
    void scalarsAndNullPassThrough() {
        FieldEdits edits = new FieldEdits(Set.of("a"), Map.of("b", 1));
        assertSame("null", edits.apply("null"));
        assertSame("\"text\"", edits.apply("\"text\""));
    }

    @Test
    void negativeLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FieldEdits(Set.of(), Map.of("a", -1)));
    }
}

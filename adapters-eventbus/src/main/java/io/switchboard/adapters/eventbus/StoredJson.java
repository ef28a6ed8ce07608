package io.switchboard.adapters.eventbus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.application.port.in.PublishReceipt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON text stored for an event's meta fields and for a publish receipt. */
final class StoredJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> FIELDS = new TypeReference<>() {
    };

    private StoredJson() {
    }

    /** {@code null} for no meta fields. */
    static String meta(Map<String, String> meta) {
        return meta.isEmpty() ? null : write(JSON.valueToTree(meta));
    }

    static Map<String, String> meta(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(JSON.readValue(json, FIELDS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored meta is not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code {"batch":false,"ids":[{"room":"id",...},...]}}, keeping the rooms' order. */
    static String receipt(PublishReceipt receipt) {
        ObjectNode node = JSON.createObjectNode();
        node.put("batch", receipt.batch());
        ArrayNode ids = node.putArray("ids");
        receipt.ids().forEach(roomIds -> ids.add(JSON.valueToTree(roomIds)));
        return write(node);
    }

    static PublishReceipt receipt(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            List<Map<String, String>> ids = new ArrayList<>();
            for (JsonNode roomIds : node.path("ids")) {
                ids.add(JSON.convertValue(roomIds, FIELDS));
            }
            return new PublishReceipt(ids, node.path("batch").asBoolean());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored receipt is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

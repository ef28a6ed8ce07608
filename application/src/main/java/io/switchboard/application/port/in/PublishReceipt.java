package io.switchboard.application.port.in;

import java.util.List;
import java.util.Map;

/** The answer to a publish: for each submitted event, the id it got in each of its rooms. */
public record PublishReceipt(List<Map<String, String>> ids, boolean batch) {
    public PublishReceipt {
        ids = List.copyOf(ids);
    }
}

package io.switchboard.application.webhook;

import java.util.Map;

/**
 * An HTTP request that arrived at a webhook URL, as the capture publishes it (seed 004).
 *
 * @param body the body as text, or {@code null} when empty
 */
public record CapturedRequest(String method, Map<String, String> headers, Map<String, String> queryParams, String body,
                              String sourceIp, String userAgent) {
    public CapturedRequest {
        headers = Map.copyOf(headers);
        queryParams = Map.copyOf(queryParams);
    }
}

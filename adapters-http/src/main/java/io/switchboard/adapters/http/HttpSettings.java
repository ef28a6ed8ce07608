package io.switchboard.adapters.http;

import java.util.List;

/**
 * The REST adapter's settings.
 *
 * @param apiKeys publisher API keys accepted as {@code Authorization: Bearer <key>}; when empty, only
 *                loopback clients may publish
 */
public record HttpSettings(List<String> apiKeys) {
    public HttpSettings {
        apiKeys = List.copyOf(apiKeys);
        for (String key : apiKeys) {
            if (key.length() < 16) {
                throw new IllegalArgumentException("an API key must be at least 16 characters");
            }
        }
    }
}

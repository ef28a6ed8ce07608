package io.switchboard.domain;

import java.security.SecureRandom;
import java.util.Base64;

/** A connection's id: 128 random bits, URL-safe, unguessable. */
public record ConnectionId(String value) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public ConnectionId {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("connection id is missing");
        }
    }

    public static ConnectionId random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new ConnectionId(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}

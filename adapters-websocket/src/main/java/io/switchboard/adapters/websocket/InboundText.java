package io.switchboard.adapters.websocket;

import io.switchboard.application.hub.Connection;
import io.switchboard.domain.CloseCode;

/**
 * Joins the fragments of one inbound text message and counts its UTF-8 size across them: Helidon's
 * frame limit applies to one frame, not to a message.
 */
final class InboundText {
    private final StringBuilder fragments = new StringBuilder();
    private int bytes;

    /**
     * Adds one fragment; returns the whole message after its last fragment, otherwise {@code null}.
     * A message larger than {@code maxBytes} closes the connection with 1009.
     */
    String add(Connection connection, String text, boolean last, int maxBytes) {
        bytes += utf8Length(text);
        if (bytes > maxBytes) {
            // The count stays over the limit: the rest of this message must not look like a new one.
            fragments.setLength(0);
            connection.close(CloseCode.TOO_LARGE, "message too large: the limit is " + maxBytes + " bytes", true, null, true);
            return null;
        }
        if (!last) {
            fragments.append(text);
            return null;
        }
        String message = fragments.isEmpty() ? text : fragments.append(text).toString();
        fragments.setLength(0);
        bytes = 0;
        return message;
    }

    static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}

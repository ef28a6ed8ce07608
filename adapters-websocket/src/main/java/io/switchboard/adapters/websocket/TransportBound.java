package io.switchboard.adapters.websocket;

/** A listener that must hear when Helidon finished with its connection, whether or not it was told {@code onClose}. */
interface TransportBound {
    void transportEnded();
}

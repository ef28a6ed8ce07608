package io.switchboard.bootstrap;

import java.util.Locale;

/**
 * One configuration key: its YAML path, what kind of value it takes, its default and what it does.
 * Every key can also be set through the environment variable {@link #environmentName()}.
 */
record ConfigKey(String name, Kind kind, String defaultValue, String description) {

    enum Kind {
        INTEGER, DECIMAL, DURATION, TEXT, LIST, CHOICE
    }

    /** {@code hub.heartbeat.interval} → {@code HUB_HEARTBEAT_INTERVAL}. */
    String environmentName() {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}

package io.switchboard.application.hooks;

import java.util.Map;
import java.util.Optional;

/** The {@code hooks.connect} of each endpoint, by the endpoint's configured path. */
public final class ConnectHooks {
    /** No endpoint has a connect hook. */
    public static final ConnectHooks NONE = new ConnectHooks(Map.of());

    private final Map<String, Hook> byEndpoint;

    public ConnectHooks(Map<String, Hook> byEndpoint) {
        this.byEndpoint = Map.copyOf(byEndpoint);
    }

    public Optional<Hook> of(String endpoint) {
        return Optional.ofNullable(byEndpoint.get(endpoint));
    }
}

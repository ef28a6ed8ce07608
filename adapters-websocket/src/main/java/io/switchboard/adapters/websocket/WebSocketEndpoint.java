package io.switchboard.adapters.websocket;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.dialect.DialectSpec;
import io.switchboard.application.port.Template;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A configured WebSocket endpoint ({@code hub.endpoints} with {@code transport: websocket}), e.g.
 * {@code /ws/dashboard/{userId}} auto-joining {@code user:{userId}} and speaking an application's dialect.
 *
 * @param path                a path, possibly with {@code {parameters}}
 * @param rejectBeforeUpgrade refuse a bad token, a failed {@code bind} or a forbidden room with an HTTP
 *                            status before the 101 instead of {@code error} + close 4001/4003
 * @param origins             allowed {@code Origin} values, exactly; empty allows any
 * @param rooms               rooms joined on connect: templates over the path's parameters and {@code {sub}}
 * @param bind                path parameter → token claim that must equal it (only {@code sub} is kept from tokens)
 * @param statsInterval       how often the endpoint's clients get {@code stats_update}; {@code null}: never
 * @param closeOnMalformed    close with 1008 after a malformed client message instead of only answering {@code error}
 * @param closeOnLimit        a connection limit (or a full auto-joined room) accepts the upgrade, then sends
 *                            {@code error CONNECTION_LIMIT} and closes 4029, instead of answering 503 before the 101
 * @param dialect             how the endpoint speaks
 * @param closeStyle          how the hub ends a connection on shutdown (1001) and on heartbeat timeout (4011), after
 *                            its {@code disconnect} notice: with a close handshake, or by dropping the TCP connection
 * @param originRequired      refuse an upgrade without an {@code Origin} header (as a forbidden client: 403 before the
 *                            101, or {@code error} + 4003 with {@code auth-failure: close})
 */
public record WebSocketEndpoint(String path, AuthMode auth, boolean rejectBeforeUpgrade, List<String> origins,
                                List<Template> rooms, Map<String, String> bind, Duration statsInterval, boolean closeOnMalformed,
                                boolean closeOnLimit, DialectSpec dialect, CloseStyle closeStyle, boolean originRequired) {
    /** The claims a {@code bind} may name. */
    public static final Set<String> CLAIMS = Set.of("sub");
    /** Names a room template may use besides the path's parameters. */
    public static final Set<String> ROOM_VALUES = Set.of("sub");

    /** How a connection the hub ends on shutdown or heartbeat timeout ends on the wire. */
    public enum CloseStyle {
        /** A close frame (1001 / 4011) and the close handshake: the browser sees {@code wasClean: true}. */
        CLEAN,
        /**
         * The TCP connection dropped without a close frame: the browser sees {@code wasClean: false}, code 1006,
         * which clients that reconnect only after an unclean close (seed 001's {@code useDashboardLive}) need.
         */
        ABRUPT
    }

    public WebSocketEndpoint {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(closeStyle, "closeStyle");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(dialect, "dialect");
        origins = List.copyOf(origins);
        rooms = List.copyOf(rooms);
        bind = Map.copyOf(bind);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an endpoint path must start with /");
        }
        Set<String> parameters = Template.of(path).names();
        for (Template room : rooms) {
            for (String name : room.names()) {
                if (!parameters.contains(name) && !ROOM_VALUES.contains(name)) {
                    throw new IllegalArgumentException("room template " + room + " uses {" + name + "}, which the path does not have");
                }
            }
        }
        bind.forEach((parameter, claim) -> {
            if (!parameters.contains(parameter)) {
                throw new IllegalArgumentException("bind: {" + parameter + "} is not a parameter of the path " + path);
            }
            if (!CLAIMS.contains(claim)) {
                throw new IllegalArgumentException("bind: claim '" + claim + "' is not one of " + CLAIMS);
            }
        });
    }
}

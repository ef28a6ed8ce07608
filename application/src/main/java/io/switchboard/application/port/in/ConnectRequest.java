package io.switchboard.application.port.in;

import io.switchboard.application.port.AuthMode;
import io.switchboard.application.port.Template;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything a transport knows about a client at the door, for {@link AdmitConnectionUseCase}.
 *
 * @param endpoint      the endpoint's path (its limits, audit entries and log lines name it)
 * @param peer          the client's address
 * @param loopbackAdmin the client is on this machine and no credentials are configured, so it counts as an administrator
 * @param origin        the browser's {@code Origin}, or {@code null} (not a browser)
 * @param origins       the {@code Origin} values the endpoint allows, exactly; empty allows any
 * @param auth          the endpoint's auth mode ({@link AuthMode#api()} for the backend streams)
 * @param token         the token the client presented (an API key or token for the backend streams), or {@code null}
 * @param adminOnly     only administrators (role {@code admin}) get in: the audit streams
 * @param bound         path parameters whose values must equal the token's subject ({@code bind: {userId: sub}})
 * @param rooms         the rooms it joins on connect, as templates over {@code parameters} and {@code {sub}}
 * @param parameters    the path's parameters
 * @param roomLimit     how many members each of those rooms may have (0: no limit)
 * @param firstContact  whether this is the client's arrival (its attempt is counted, its Origin checked), not a
 *                      client already admitted that names its user later (a Socket.IO client connecting to its namespace)
 * @param originRequired a request without {@code Origin} is refused ({@link RefusalReason#ORIGIN_MISSING}): the endpoint
 *                      serves browsers only (seed 001's {@code authenticate_ws})
 * @param door          the request the client connected with, for the endpoint's connect hook; {@code null} when this
 *                      admission is not the one that asks it (a Socket.IO client's upgrade, before its namespace connect)
 */
public record ConnectRequest(String endpoint, String peer, boolean loopbackAdmin, String origin, List<String> origins,
                             AuthMode auth, String token, boolean adminOnly, Map<String, String> bound,
                             List<Template> rooms, Map<String, String> parameters, int roomLimit, boolean firstContact,
                             boolean originRequired, Door door) {

    /**
     * What a connect hook is shown of the request the client connected with.
     *
     * @param path   the path it asked for
     * @param header a request header's first value by name (any case), or {@code null}; read during the admission only
     */
    public record Door(String path, UnaryOperator<String> header) {
        public Door {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(header, "header");
        }
    }

    /**
     * A request that lets a client without {@code Origin} in (non-browser clients are welcome) and has no
     * {@link Door}: the endpoint's connect hook is not asked.
     */
    public ConnectRequest(String endpoint, String peer, boolean loopbackAdmin, String origin, List<String> origins,
                          AuthMode auth, String token, boolean adminOnly, Map<String, String> bound,
                          List<Template> rooms, Map<String, String> parameters, int roomLimit, boolean firstContact) {
        this(endpoint, peer, loopbackAdmin, origin, origins, auth, token, adminOnly, bound, rooms, parameters, roomLimit, firstContact,
                false, null);
    }

    public ConnectRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(auth, "auth");
        origins = List.copyOf(origins);
        bound = Map.copyOf(bound);
        rooms = List.copyOf(rooms);
        parameters = Map.copyOf(parameters);
        if (roomLimit < 0) {
            throw new IllegalArgumentException("roomLimit must be 0 (none) or more: " + roomLimit);
        }
    }

    /** This request, refusing a client without {@code Origin} when {@code required}. */
    public ConnectRequest requiringOrigin(boolean required) {
        return new ConnectRequest(endpoint, peer, loopbackAdmin, origin, origins, auth, token, adminOnly, bound, rooms, parameters,
                roomLimit, firstContact, required, door);
    }

    /** A client of {@code endpoint} with no rooms to join on connect, no bound path and nothing but its token to show. */
    public static ConnectRequest of(String endpoint, String peer, String origin, List<String> origins, AuthMode auth,
                                    String token) {
        return new ConnectRequest(endpoint, peer, false, origin, origins, auth, token, false, Map.of(), List.of(), Map.of(), 0, true);
    }

    /**
     * A backend's stream ({@code /api/v1/commands}, {@code /api/v1/audit/stream}): API credentials as
     * {@code auth} says, no browser Origin to check, no rooms joined at the door.
     */
    public static ConnectRequest backend(String endpoint, String peer, boolean loopbackAdmin, AuthMode auth, String credential) {
        if (!auth.api()) {
            throw new IllegalArgumentException("a backend stream takes API credentials, not " + auth);
        }
        return new ConnectRequest(endpoint, peer, loopbackAdmin, null, List.of(), auth, credential, false, Map.of(), List.of(), Map.of(),
                0, true);
    }

    /** The same client naming its user after it was admitted: no new attempt, no Origin to check again. */
    public ConnectRequest later(AuthMode auth, String token) {
        return new ConnectRequest(endpoint, peer, loopbackAdmin, null, List.of(), auth, token, adminOnly, bound, List.of(), parameters, 0, false);
    }

    /** This request, asking the endpoint's connect hook with what {@code door} shows. */
    public ConnectRequest through(Door door) {
        return new ConnectRequest(endpoint, peer, loopbackAdmin, origin, origins, auth, token, adminOnly, bound, rooms, parameters,
                roomLimit, firstContact, originRequired, door);
    }

    /** This request, joining {@code rooms} (templates over {@code parameters}) with at most {@code roomLimit} members each. */
    public ConnectRequest joining(List<Template> rooms, Map<String, String> parameters, int roomLimit) {
        return new ConnectRequest(endpoint, peer, loopbackAdmin, origin, origins, auth, token, adminOnly, bound, rooms, parameters,
                roomLimit, firstContact, originRequired, door);
    }
}

package io.switchboard.application.hooks;

import io.switchboard.application.port.Principal;
import io.switchboard.application.port.out.HookCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The questions the hub asks its hooks, built from what it knows about the client (SPEC 16). */
public final class HookQuestions {

    private HookQuestions() {
    }

    /**
     * May this client connect?
     *
     * @param header the request's headers by name; only those the hook names are forwarded
     */
    public static HookCall connect(Hook hook, String endpoint, String path, Map<String, String> params, UnaryOperator<String> header,
                                   Principal principal) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : hook.headers()) {
            String value = header.apply(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return new HookCall(hook.url(), hook.timeout(), endpoint, path, params, headers, claims(principal), userId(principal), null, null,
                null);
    }

    /** May this connection of {@code endpoint} join {@code room}? */
    public static HookCall subscribe(Hook hook, String endpoint, Principal principal, String room, String connectionId) {
        return new HookCall(hook.url(), hook.timeout(), endpoint, null, Map.of(), Map.of(), claims(principal), userId(principal), room,
                null, connectionId);
    }

    /** Run this command, sent to {@code room} by a connection of {@code endpoint} (or over HTTP, with {@code endpoint} its path). */
    public static HookCall command(Hook hook, String endpoint, Principal principal, String room, String name, String data,
                                   String connectionId) {
        return new HookCall(hook.url(), hook.timeout(), endpoint, null, Map.of(), Map.of(), claims(principal), userId(principal), room,
                new HookCall.Command(name, data), connectionId);
    }

    private static Map<String, Object> claims(Principal principal) {
        return principal == null ? Map.of()
                : HookCall.claims(principal.userId(), principal.roles().stream().sorted().toList(), principal.rooms(), principal.expiresAt().getEpochSecond());
    }

    private static String userId(Principal principal) {
        return principal == null ? null : principal.userId();
    }
}

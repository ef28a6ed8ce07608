package io.switchboard.application.hooks;

import io.switchboard.domain.ErrorCode;

import java.util.Locale;

/** The three questions the hub may ask the application (SPEC 16). */
public enum HookKind {
    /** May this client connect (per endpoint, {@code hooks.connect})? */
    CONNECT(ErrorCode.FORBIDDEN),
    /** May this connection join this room (per namespace, {@code hooks.subscribe})? */
    SUBSCRIBE(ErrorCode.SUBSCRIPTION_FAILED),
    /** Run this command and answer it (per namespace, {@code hooks.command}). */
    COMMAND(ErrorCode.FORBIDDEN);

    private final ErrorCode failureCode;

    HookKind(ErrorCode failureCode) {
        this.failureCode = failureCode;
    }

    /** The code a client is refused with when the hook failed and the hook fails closed. */
    public ErrorCode failureCode() {
        return failureCode;
    }

    /** The kind's name in config, stats and metrics: {@code connect}, {@code subscribe}, {@code command}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

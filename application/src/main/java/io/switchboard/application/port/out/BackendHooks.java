package io.switchboard.application.port.out;

/**
 * Asks the application behind the hub whether a client may connect, join a room or run a command
 * (SPEC 16, backend hooks): one request to the hook's URL, one answer. Whatever goes wrong on the way
 * (no connection, a timeout, another status, an answer that is not the agreed JSON) is a
 * {@link HookReply.Failed}, never an exception; the core decides what a failure means.
 */
public interface BackendHooks {

    HookReply call(HookCall call);
}

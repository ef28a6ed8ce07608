package io.switchboard.application.hooks;

import io.switchboard.application.port.out.HookReply;

/** What the hub does after asking a hook: go on (with what the hook granted), or refuse with a code and message. */
public sealed interface HookDecision {

    /** @param granted what the hook answered; {@link HookReply.Allowed#plain()} when it failed and fails open */
    record Allow(HookReply.Allowed granted) implements HookDecision {
    }

    /** @param code the application's code (or the hub's, when the hook failed), passed to the client as is */
    record Refuse(String code, String message) implements HookDecision {
    }
}

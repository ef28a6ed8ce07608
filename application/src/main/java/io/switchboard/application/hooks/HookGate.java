package io.switchboard.application.hooks;

import io.switchboard.application.logging.OncePerSecond;
import io.switchboard.application.port.out.BackendHooks;
import io.switchboard.application.port.out.HookCall;
import io.switchboard.application.port.out.HookReply;
import io.switchboard.application.hub.HookStats;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Asks a hook and decides (SPEC 16): an answer that allows lets the client on with what it grants, one
 * that refuses passes the application's code and message to the client, and a hook that gave no usable
 * answer refuses (fail-closed) unless it says {@code on-failure: allow}. Each call is counted and timed
 * per kind; a failure is logged (at most once a second per kind) with the hook's place and why, never
 * with a body or a token.
 */
public final class HookGate {
    private static final System.Logger LOG = System.getLogger(HookGate.class.getName());

    private final BackendHooks backend;
    private final HookStats stats;
    private final LongSupplier nanoTime;
    private final Map<HookKind, OncePerSecond> failureLines = new EnumMap<>(HookKind.class);

    /** @param nanoTime a monotonic clock in nanoseconds, as {@link System#nanoTime()} */
    public HookGate(BackendHooks backend, HookStats stats, LongSupplier nanoTime) {
        this.backend = backend;
        this.stats = stats;
        this.nanoTime = nanoTime;
        for (HookKind kind : HookKind.values()) {
            failureLines.put(kind, new OncePerSecond(nanoTime));
        }
    }

    /** Asks {@code hook} the question {@code call} and decides. */
    public HookDecision decide(Hook hook, HookCall call) {
        long started = nanoTime.getAsLong();
        HookReply reply;
        try {
            reply = backend.call(call);
        } catch (RuntimeException e) {
            reply = new HookReply.Failed("the hook client failed: " + e.getClass().getSimpleName());
        }
        long nanos = nanoTime.getAsLong() - started;
        return switch (reply) {
            case HookReply.Allowed allowed -> {
                stats.record(hook.kind().key(), HookStats.Outcome.ALLOWED, nanos);
                yield new HookDecision.Allow(allowed);
            }
            case HookReply.Denied denied -> {
                stats.record(hook.kind().key(), HookStats.Outcome.REFUSED, nanos);
                yield new HookDecision.Refuse(denied.code(), denied.message());
            }
            case HookReply.Failed failed -> {
                stats.record(hook.kind().key(), HookStats.Outcome.FAILED, nanos);
                Optional<String> more = failureLines.get(hook.kind()).pass();
                more.ifPresent(tail -> LOG.log(System.Logger.Level.WARNING, "{0} hook {1} failed after {2} ms: {3}; {4}{5}",
                        hook.kind().key(), hook.place(), nanos / 1_000_000, failed.why(),
                        hook.allowOnFailure() ? "allowed (on-failure: allow)" : "refused (fail-closed)", tail));
                yield hook.allowOnFailure() ? new HookDecision.Allow(HookReply.Allowed.plain())
                        : new HookDecision.Refuse(hook.kind().failureCode().name(), failureMessage(hook.kind()));
            }
        };
    }

    private static String failureMessage(HookKind kind) {
        return switch (kind) {
            case CONNECT -> "the application could not be asked whether you may connect; try again later";
            case SUBSCRIBE -> "the application could not be asked whether you may join this room; try again later";
            case COMMAND -> "the application could not run this command; try again later";
        };
    }
}

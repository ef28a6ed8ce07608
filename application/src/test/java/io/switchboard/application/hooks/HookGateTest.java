package io.switchboard.application.hooks;

import io.switchboard.application.port.out.BackendHooks;
import io.switchboard.application.port.out.HookCall;
import io.switchboard.application.port.out.HookReply;
import io.switchboard.application.hub.HookStats;
import io.switchboard.application.port.StatsSnapshot;
import org.junit.jupiter.api.Test;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The hook decision (SPEC 16) without a socket or a server: allow, refuse, and what a failure means per hook. */
class HookGateTest {
    private static final URI URL = URI.create("http://app.internal/hooks/connect?secret=s3");
    private final HookStats stats = new HookStats();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void anAllowingAnswerPassesWhatTheHookGrants() {
        HookReply.Allowed granted = new HookReply.Allowed("user-7", List.of("news:1"), "{\"plan\":\"pro\"}", Instant.EPOCH, null);
        HookDecision.Allow allow = assertInstanceOf(HookDecision.Allow.class, gate(call -> granted).decide(hook(HookKind.CONNECT, false), call()));
        assertSame(granted, allow.granted());
        assertEquals(new StatsSnapshot.HookCalls(1, 0, 0, allow(stats)), stats.snapshot().get("connect"));
    }

    @Test
    void aRefusalPassesTheApplicationsCodeAndMessageAsTheyAre() {
        HookDecision.Refuse refuse = assertInstanceOf(HookDecision.Refuse.class,
                gate(call -> new HookReply.Denied("USER_NOT_FOUND", "User ID in token does not exist"))
                        .decide(hook(HookKind.CONNECT, true), call()));
        assertEquals("USER_NOT_FOUND", refuse.code());
        assertEquals("User ID in token does not exist", refuse.message());
        assertEquals(1, stats.snapshot().get("connect").refused(), "a refusal is not a failure, even where failures are allowed");
    }

    @Test
    void aFailureRefusesWithTheKindsCodeByDefault() {
        BackendHooks failing = call -> new HookReply.Failed("could not connect");
        assertEquals(new HookDecision.Refuse("FORBIDDEN", "the application could not be asked whether you may connect; try again later"),
                gate(failing).decide(hook(HookKind.CONNECT, false), call()));
        assertEquals("SUBSCRIPTION_FAILED",
                ((HookDecision.Refuse) gate(failing).decide(hook(HookKind.SUBSCRIBE, false), call())).code());
        assertEquals("FORBIDDEN", ((HookDecision.Refuse) gate(failing).decide(hook(HookKind.COMMAND, false), call())).code());
        assertEquals(1, stats.snapshot().get("subscribe").failed());
        assertEquals(1, stats.snapshot().get("command").failed());
    }

    @Test
    void onFailureAllowLetsTheClientOnWithNothingGranted() {
        HookDecision.Allow allow = assertInstanceOf(HookDecision.Allow.class,
                gate(call -> new HookReply.Failed("no answer within 2000 ms")).decide(hook(HookKind.CONNECT, true), call()));
        assertNull(allow.granted().userId());
        assertEquals(List.of(), allow.granted().rooms());
        assertNull(allow.granted().result());
        assertEquals(1, stats.snapshot().get("connect").failed(), "still counted as a failure");
    }

    @Test
    void anAdapterThatThrowsIsAFailureNotACrash() {
        BackendHooks broken = call -> {
            throw new IllegalStateException("bug");
        };
        assertInstanceOf(HookDecision.Refuse.class, gate(broken).decide(hook(HookKind.SUBSCRIBE, false), call()));
        assertInstanceOf(HookDecision.Allow.class, gate(broken).decide(hook(HookKind.SUBSCRIBE, true), call()));
        assertEquals(2, stats.snapshot().get("subscribe").failed());
    }

    @Test
    void theLatencyOfEachCallIsRecordedForItsKind() {
        BackendHooks slow = call -> {
            nanos.addAndGet(Duration.ofMillis(40).toNanos());
            return HookReply.Allowed.plain();
        };
        gate(slow).decide(hook(HookKind.COMMAND, false), call());
        double p99 = stats.snapshot().get("command").latencyMs().p99();
        assertEquals(40, p99, 40 * 0.125, "within a bucket's width: " + p99);
        assertNull(stats.snapshot().get("connect"), "a kind never called is not listed");
    }

    @Test
    void aHookShowsItsPlaceWithoutTheQueryForLogLines() {
        assertEquals("http://app.internal/hooks/connect", hook(HookKind.CONNECT, false).place());
    }

    private HookGate gate(BackendHooks backend) {
        return new HookGate(backend, stats, nanos::get);
    }

    private static Hook hook(HookKind kind, boolean allowOnFailure) {
        return new Hook(kind, URL, List.of("Authorization"), Duration.ofSeconds(2), allowOnFailure);
    }

    private static HookCall call() {
        return new HookCall(URL, Duration.ofSeconds(2), "/ws", "/ws", Map.of(), Map.of(), Map.of(), null, null, null, null);
    }

    private static StatsSnapshot.LatencyMs allow(HookStats stats) {
        return stats.snapshot().get("connect").latencyMs();
    }
}

package io.switchboard.bootstrap;

import io.switchboard.application.limits.LimitSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.switchboard.application.limits.LimitSettings.LimitPolicy.EVICT_OLDEST;
import static io.switchboard.application.limits.LimitSettings.LimitPolicy.EVICT_OLDEST_IDLE;
import static io.switchboard.application.limits.LimitSettings.LimitPolicy.REJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hub.limits.*-policy}: each limit's own policy, and what it defaults to. */
class LimitPoliciesConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void perIpAndPerUserFollowTheGeneralPolicyAndTheTotalRejectsUnlessTold() throws IOException {
        LimitSettings limits = limits("""
                hub:
                  limits:
                    policy: evict-oldest
                """, Map.of());
        assertEquals(new LimitSettings(0, 0, 0, REJECT, EVICT_OLDEST, EVICT_OLDEST, 0), limits);
    }

    @Test
    void eachLimitTakesItsOwnPolicy() throws IOException {
        LimitSettings limits = limits("""
                hub:
                  limits:
                    per-ip: 10
                    per-ip-policy: reject
                    per-user: 5
                    per-user-policy: evict-oldest
                    max-connections: 500
                    max-connections-policy: evict-oldest-idle
                    policy: evict-oldest-idle
                """, Map.of());
        assertEquals(new LimitSettings(500, 10, 5, EVICT_OLDEST_IDLE, REJECT, EVICT_OLDEST, 0), limits);
        assertEquals(EVICT_OLDEST_IDLE, limits("hub: {}\n", Map.of("HUB_LIMITS_PER_USER_POLICY", "Evict-Oldest-Idle")).perUserPolicy());
    }

    @Test
    void anUnknownPolicyFailsTheStartNamingTheKey() {
        StartupException e = assertThrows(StartupException.class, () -> limits("""
                hub:
                  limits:
                    per-user-policy: evict-newest
                """, Map.of()));
        assertTrue(e.getMessage().contains("hub.limits.per-user-policy") && e.getMessage().contains("evict-newest"), e.getMessage());
    }

    private LimitSettings limits(String yaml, Map<String, String> environment) throws IOException {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, yaml);
        return Settings.load(CommandLine.parse("--config", file.toString()), environment).limits();
    }
}

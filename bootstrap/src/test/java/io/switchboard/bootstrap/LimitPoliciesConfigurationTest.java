package io.switchboard.bootstrap;

import io.switchboard.application.port.EndpointLimits;
import io.switchboard.application.port.LimitSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.switchboard.application.port.LimitSettings.LimitPolicy.EVICT_OLDEST;
import static io.switchboard.application.port.LimitSettings.LimitPolicy.EVICT_OLDEST_IDLE;
import static io.switchboard.application.port.LimitSettings.LimitPolicy.REJECT;
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

    @Test
    void anEndpointsLimitsTakeTheHubsPoliciesUnlessTheyNameTheirOwn() throws IOException {
        LimitSettings limits = limits("""
                hub:
                  limits:
                    per-user: 5
                    policy: evict-oldest
                    max-connections-policy: evict-oldest-idle
                  endpoints:
                    - path: /ws/dashboard
                      transport: websocket
                      limits: { per-user: 2, per-ip: 3, per-ip-policy: reject, max-connections: 100, per-room: 7 }
                    - path: /api/v1/proposals/{id}/events
                      transport: sse
                      rooms: [ "proposal:{id}" ]
                      limits:
                        per-ip: 1
                    - path: /ws/plain
                      transport: websocket
                """, Map.of());
        assertEquals(Map.of(
                "/ws/dashboard", new EndpointLimits(100, 3, 2, EVICT_OLDEST_IDLE, REJECT, EVICT_OLDEST, 7),
                "/api/v1/proposals/{id}/events", new EndpointLimits(0, 1, 0, EVICT_OLDEST_IDLE, EVICT_OLDEST, EVICT_OLDEST, -1)),
                limits.endpoints(), "an endpoint without limits has no entry");
        assertEquals(new LimitSettings(0, 0, 5, EVICT_OLDEST_IDLE, EVICT_OLDEST, EVICT_OLDEST, 0, limits.endpoints()), limits,
                "the hub's own limits stay");
    }

    @Test
    void aBadEndpointLimitFailsTheStartNamingTheKey() {
        String endpoint = "hub:\n  endpoints:\n    - path: /ws/x\n      transport: websocket\n      limits:\n";
        for (String[] bad : new String[][] {
                {"        per-user: -1\n", "hub.endpoints.0.limits.per-user", "'-1'"},
                {"        per-ip: many\n", "hub.endpoints.0.limits.per-ip", "'many'"},
                {"        per-user-policy: evict-newest\n", "hub.endpoints.0.limits.per-user-policy", "evict-newest"},
                {"        per-hour: 3\n", "hub.endpoints.0.limits.per-hour", "unknown config key"}}) {
            StartupException e = assertThrows(StartupException.class, () -> limits(endpoint + bad[0], Map.of()), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains(bad[2]), e.getMessage());
        }
    }

    private LimitSettings limits(String yaml, Map<String, String> environment) throws IOException {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, yaml);
        return Settings.load(CommandLine.parse("--config", file.toString()), environment).limits();
    }
}

package io.switchboard.bootstrap;

import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --profile NAME}: the profiles bundled in the jar, their place among the layers, and unknown names. */
class ProfileSelectionTest {
    private static final List<String> SEED_PROFILES = List.of("choicesherpa", "hooky", "proposal-review", "sql-chat-dashboard", "task-dashboard");

    @TempDir
    Path dir;

    @Test
    void theFiveSeedProfilesAreBundled() {
        assertEquals(SEED_PROFILES, BundledProfiles.names());
    }

    @Test
    void anUnknownProfileFailsTheStartListingTheBundledOnes() {
        StartupException e = assertThrows(StartupException.class,
                () -> Settings.load(CommandLine.parse("--profile", "nope", "--ephemeral"), Map.of()));
        assertTrue(e.getMessage().contains("--profile: unknown profile 'nope'"), e.getMessage());
        for (String name : SEED_PROFILES) {
            assertTrue(e.getMessage().contains(name), "lists " + name + ": " + e.getMessage());
        }
    }

    @Test
    void aProfileLiesBelowTheConfigFileTheEnvironmentAndTheCommandLine() throws Exception {
        Path file = Files.writeString(dir.resolve("hub.yaml"), "hub:\n  heartbeat:\n    interval: 22s\n");
        ConfigValues values = new ConfigValues(Map.of("server.port", "3333"), Map.of("HUB_STATS_INTERVAL", "9s"))
                .withFile("--config", file)
                .withResource("--profile", "profile-layers/layered.yaml");
        Settings settings = Settings.from(values, true);
        assertEquals(3333, settings.port(), "command line over profile");
        assertEquals(Duration.ofSeconds(9), settings.statsInterval(), "environment over profile");
        assertEquals(Duration.ofSeconds(22), settings.hub().heartbeatInterval(), "config file over profile");
        assertEquals(Duration.ofSeconds(4), settings.hub().heartbeatTimeout(), "profile over default");
    }

    @Test
    void aProfileResourceWithAnUnknownKeyOrMissingFailsNamingIt() {
        ConfigValues values = new ConfigValues(Map.of(), Map.of()).withResource("--profile x", "profile-layers/missing.yaml");
        StartupException e = assertThrows(StartupException.class, values::finish);
        assertTrue(e.getMessage().contains("profile-layers/missing.yaml"), e.getMessage());
    }

    /** Every bundled profile starts a hub that answers. */
    @ParameterizedTest
    @ValueSource(strings = {"choicesherpa", "hooky", "proposal-review", "sql-chat-dashboard", "task-dashboard"})
    void everyBundledProfileStarts(String profile) throws Exception {
        try (TestHub hub = TestHub.startWithProfile(profile, Map.of())) {
            assertEquals(200, hub.get("/health").statusCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"choicesherpa", "hooky", "proposal-review", "sql-chat-dashboard", "task-dashboard"})
    void everyBundledProfileLoadsExactlyAsShipped(String profile) {
        Settings settings = Settings.load(CommandLine.parse("--profile", profile, "--ephemeral", "--port", "0"), Map.of());
        assertTrue(settings.port() == 0);
    }

    @Test
    void hookyStartsWithProfileAlone() throws Exception {
        Settings settings = Settings.load(CommandLine.parse("--profile", "hooky", "--ephemeral", "--port", "0"), Map.of());
        Switchboard hub = Switchboard.start(settings, java.time.Clock.systemUTC());
        try (JsonWebSocket client = JsonWebSocket.connect(java.net.URI.create("ws://127.0.0.1:" + hub.port() + "/ws"))) {
            assertEquals("connected", client.nextOfType("connected", Duration.ofSeconds(5)).path("type").asText());
            client.join("webhook:nope");
            assertEquals("Webhook not found", client.nextOfType("error", Duration.ofSeconds(5)).path("data").path("message").asText());
        } finally {
            hub.stop();
        }
    }
}

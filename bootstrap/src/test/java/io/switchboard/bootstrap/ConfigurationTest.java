package io.switchboard.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's options and configuration layers: what wins, what parses, and what fails the start naming the key. */
class ConfigurationTest {
    @TempDir
    Path dir;

    // ---- command line ----

    @Test
    void portThatIsNotANumberNamesTheOption() {
        assertStartupFails(() -> CommandLine.parse("--port", "abc"), "--port", "abc");
        assertStartupFails(() -> CommandLine.parse("--port=70000"), "--port", "70000");
    }

    @Test
    void optionWithoutItsValueNamesTheOption() {
        assertStartupFails(() -> CommandLine.parse("--port"), "--port", "needs a value");
        assertStartupFails(() -> CommandLine.parse("--config", "--ephemeral"), "--config", "needs a value");
    }

    @Test
    void unknownOptionIsNamed() {
        assertStartupFails(() -> CommandLine.parse("--ephemeral", "--colour", "red"), "--colour");
    }

    @Test
    void optionsAreReadInBothForms() {
        CommandLine cli = CommandLine.parse("--port=8081", "--config", "hub.yaml", "--ephemeral", "--data", "/var/sb");
        assertEquals(Map.of("server.port", "8081", "hub.data-dir", "/var/sb"), cli.overrides());
        assertEquals(Path.of("hub.yaml"), cli.config());
        assertTrue(cli.ephemeral());
        assertFalse(cli.help());
    }

    // ---- layers ----

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = yaml("""
                server:
                  port: 4321
                hub:
                  heartbeat:
                    interval: 7s
                    timeout: 3s
                  stats-interval: 2m
                """);
        Map<String, String> environment = Map.of("HUB_HEARTBEAT_INTERVAL", "2s", "SERVER_PORT", "1234");
        Settings settings = Settings.load(CommandLine.parse("--config", file.toString(), "--port", "9999"), environment);

        assertEquals(9999, settings.port(), "command line over environment and file");
        assertEquals(Duration.ofSeconds(2), settings.hub().heartbeatInterval(), "environment over file");
        assertEquals(Duration.ofSeconds(3), settings.hub().heartbeatTimeout(), "file over default");
        assertEquals(Duration.ofMinutes(2), settings.statsInterval(), "file over default");
        assertEquals(Duration.ofSeconds(10), settings.hub().shutdownGrace(), "default when nobody sets it");
    }

    @Test
    void defaultsApplyWithNothingConfigured() {
        Settings settings = Settings.load(CommandLine.parse(), Map.of());
        assertEquals(8080, settings.port());
        assertEquals(Duration.ofSeconds(30), settings.hub().heartbeatInterval());
        assertEquals(65536, settings.publish().maxPayloadBytes());
        assertEquals(List.of(), settings.apiKeys());
    }

    @Test
    void apiKeysComeAsAYamlListOrACommaSeparatedVariable() throws IOException {
        Path file = yaml("""
                hub:
                  publish:
                    api-keys:
                      - k-0123456789abcdef
                      - k-fedcba9876543210
                """);
        assertEquals(List.of("k-0123456789abcdef", "k-fedcba9876543210"),
                Settings.load(CommandLine.parse("--config", file.toString()), Map.of()).apiKeys());
        assertEquals(List.of("k-aaaaaaaaaaaaaaaa", "k-bbbbbbbbbbbbbbbb"),
                Settings.load(CommandLine.parse(), Map.of("HUB_PUBLISH_API_KEYS", "k-aaaaaaaaaaaaaaaa, k-bbbbbbbbbbbbbbbb"))
                        .apiKeys());
    }

    // ---- values ----

    @Test
    void durationsParseInShortAndIsoForms() {
        assertEquals(Duration.ofMillis(500), ConfigValues.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(30), ConfigValues.parseDuration("30s"));
        assertEquals(Duration.ofMinutes(5), ConfigValues.parseDuration("5m"));
        assertEquals(Duration.ofHours(24), ConfigValues.parseDuration("24h"));
        assertEquals(Duration.ofDays(2), ConfigValues.parseDuration("2d"));
        assertEquals(Duration.ofMinutes(1), ConfigValues.parseDuration("PT1M"));
        assertNull(ConfigValues.parseDuration("abc"));
        assertNull(ConfigValues.parseDuration("5 s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0s", "-5s", "PT-1M", "10", "99999999999999999999s", "9999999999999999h"})
    void badDurationIsAProblemNamingTheKey(String value) {
        assertStartupFails(() -> Settings.load(CommandLine.parse(), Map.of("HUB_HEARTBEAT_INTERVAL", value)),
                "hub.heartbeat.interval", value);
    }

    /** Only PostgreSQL can be shared by several nodes; anything else is refused before the hub starts. */
    @Test
    void databaseUrlMustBePostgres() {
        assertStartupFails(() -> Settings.load(CommandLine.parse(), Map.of("HUB_DB_URL", "jdbc:mysql://db/switchboard")),
                "hub.db.url", "jdbc:mysql://db/switchboard");
        assertEquals("jdbc:postgresql://db:5432/sb",
                Settings.load(CommandLine.parse(), Map.of("HUB_DB_URL", "jdbc:postgresql://db:5432/sb")).database().url());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> environment = Map.of("SERVER_PORT", "eighty", "HUB_CONNECTION_OVERFLOW_POLICY", "explode",
                "HUB_STATS_INTERVAL", "soon");
        assertStartupFails(() -> Settings.load(CommandLine.parse(), environment),
                "server.port", "hub.connection.overflow-policy", "hub.stats-interval");
    }

    @Test
    void unknownKeyInAConfigFileFailsTheStartNamingIt() throws IOException {
        Path file = yaml("""
                hub:
                  heartbeat:
                    intervall: 5s
                """);
        assertStartupFails(() -> Settings.load(CommandLine.parse("--config", file.toString()), Map.of()),
                "hub.heartbeat.intervall", "unknown");
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        assertStartupFails(() -> Settings.load(CommandLine.parse("--config", missing.toString()), Map.of()),
                "--config", "nope.yaml");
    }

    @Test
    void apiKeyShorterThan16CharactersIsAProblem() {
        assertStartupFails(() -> Settings.load(CommandLine.parse(), Map.of("HUB_PUBLISH_API_KEYS", "k-0123456789abcdef,short")),
                "hub.publish.api-keys", "16");
    }

    @Test
    void environmentNamesAreTheKeysInUpperCaseWithUnderscores() {
        assertEquals("HUB_HEARTBEAT_INTERVAL", ConfigSchema.find("hub.heartbeat.interval").orElseThrow().environmentName());
        assertEquals("HUB_PUBLISH_MAX_PAYLOAD_BYTES", ConfigSchema.find("hub.publish.max-payload-bytes").orElseThrow().environmentName());
    }

    // ---- documentation ----

    /** Operators read docs/configuration.md: each key has a row naming it, its variable and its default. */
    @Test
    void configurationDocumentListsEveryKeyWithItsVariableAndDefault() throws IOException {
        Path doc = Path.of("..", "docs", "configuration.md");
        assertTrue(Files.isRegularFile(doc), "missing " + doc.toAbsolutePath());
        List<String> lines = Files.readAllLines(doc);
        for (ConfigKey key : ConfigSchema.KEYS) {
            String name = "`" + key.name() + "`";
            String variable = "`" + key.environmentName() + "`";
            List<String> rows = lines.stream().filter(l -> l.startsWith("| " + name + " |")).toList();
            assertEquals(1, rows.size(), "one table row for " + key.name() + " in " + doc);
            String row = rows.getFirst();
            assertTrue(row.contains(variable), key.name() + " row lacks " + variable + ": " + row);
            String shownDefault = key.defaultValue().isEmpty() ? "(none)" : "`" + key.defaultValue() + "`";
            assertTrue(row.contains(shownDefault), key.name() + " row lacks its default " + shownDefault + ": " + row);
        }
    }

    // ---- helpers ----

    private Path yaml(String content) throws IOException {
        Path file = Files.createTempFile(dir, "switchboard", ".yaml");
        return Files.writeString(file, content);
    }

    private static void assertStartupFails(Runnable start, String... mentioned) {
        StartupException e = assertThrows(StartupException.class, start::run);
        for (String text : mentioned) {
            assertTrue(e.getMessage().contains(text), "message should mention '" + text + "': " + e.getMessage());
        }
    }
}

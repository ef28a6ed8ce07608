package io.switchboard.bootstrap;

import io.switchboard.bootstrap.testing.HubProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hooks' configuration (SPEC 16): each bad setting stops the start naming its key; the launcher exits with 2. */
class HookConfigTest {

    @Test
    void aBadUrlTimeoutOrOnFailureNamesItsKey(@TempDir Path dir) throws IOException {
        assertRefused(dir, "hub: { websocket: { hooks: { connect: { url: \"ftp://app/hook\" } } } }", "hub.websocket.hooks.connect.url",
                "ftp://app/hook");
        assertRefused(dir, "hub: { sse: { hooks: { connect: { url: \"http://app/hook\", timeout: soon } } } }",
                "hub.sse.hooks.connect.timeout", "soon");
        assertRefused(dir, "hub: { socket-io: { hooks: { connect: { url: \"http://app/hook\", on-failure: maybe } } } }",
                "hub.socket-io.hooks.connect.on-failure", "maybe");
        assertRefused(dir, """
                hub:
                  endpoints:
                    - path: /ws/x
                      transport: websocket
                      hooks: { connect: { url: "app/hook" } }
                """, "hub.endpoints.0.hooks.connect.url", "app/hook");
        assertRefused(dir, "hub: { namespaces: { proposal: { hooks: { subscribe: { url: \"http:///nohost\" } } } } }",
                "hub.namespaces.proposal.hooks.subscribe.url", "http:///nohost");
        assertRefused(dir, "hub: { namespaces: { proposal: { hooks: { command: { url: \"http://app/c\", on-failure: sometimes } } } } }",
                "hub.namespaces.proposal.hooks.command.on-failure", "sometimes");
        assertRefused(dir, "hub: { namespaces: { proposal: { hooks: { publish: { url: \"http://app/p\" } } } } }",
                "hub.namespaces.proposal.hooks.publish.url", "unknown");
    }

    @Test
    void wellFormedHooksStart(@TempDir Path dir) throws IOException {
        Settings settings = settings(dir, """
                hub:
                  websocket: { hooks: { connect: { url: "https://app.example/hooks/connect", headers: [Authorization], timeout: 500ms } } }
                  endpoints:
                    - path: /ws/x
                      transport: websocket
                      hooks: { connect: { url: "http://127.0.0.1:9/x", on-failure: allow } }
                  namespaces:
                    proposal: { hooks: { subscribe: { url: "http://app/s" }, command: { url: "http://app/c", timeout: 3s } } }
                """);
        assertEquals(Duration.ofMillis(500), settings.hooks().connect().of("/ws").orElseThrow().timeout());
        assertEquals(java.util.List.of("authorization"), settings.hooks().connect().of("/ws").orElseThrow().headers());
        assertTrue(settings.hooks().connect().of("/ws/x").orElseThrow().allowOnFailure());
        assertTrue(settings.hooks().connect().of("/sse").isEmpty());
        io.switchboard.domain.RoomName room = new io.switchboard.domain.RoomName("proposal:1");
        assertEquals(Duration.ofSeconds(2), settings.hooks().namespaces().subscribe(room).orElseThrow().timeout(), "the default timeout");
        assertEquals(Duration.ofSeconds(3), settings.hooks().namespaces().command(room).orElseThrow().timeout());
        assertTrue(settings.hooks().namespaces().command(new io.switchboard.domain.RoomName("other:1")).isEmpty());
    }

    @Test
    void theLauncherExitsWith2NamingTheKey(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("switchboard.yaml"),
                "hub: { websocket: { hooks: { connect: { url: \"not a url\" } } } }\n");
        try (HubProcess hub = HubProcess.launch(dir.resolve("out.log"), "--port", "0", "--ephemeral", "--config", config.toString())) {
            assertEquals(2, hub.awaitExit(Duration.ofSeconds(30)));
            assertTrue(hub.output().contains("hub.websocket.hooks.connect.url"), hub.output());
        }
    }

    private static Settings settings(Path dir, String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "hooks", ".yaml");
        Files.writeString(file, yaml);
        return Settings.from(new ConfigValues(Map.of(), Map.of()).withFile("--config", file), true);
    }

    private static void assertRefused(Path dir, String yaml, String... mentioned) throws IOException {
        StartupException e = assertThrows(StartupException.class, () -> settings(dir, yaml));
        for (String text : mentioned) {
            assertTrue(e.getMessage().contains(text), "should mention '" + text + "': " + e.getMessage());
        }
    }
}

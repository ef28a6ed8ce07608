package io.switchboard.bootstrap;

import io.switchboard.bootstrap.testing.JsonWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pages the hub serves from its jar (/admin/, /js/) and the audit stream the dashboard reads without auth. */
class WebPagesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void adminRedirectsToItsFolder() {
        HttpResponse<String> response = hub.get("/admin");
        assertEquals(301, response.statusCode());
        assertEquals("/admin/", response.headers().firstValue("Location").orElse(""));
    }

    @Test
    void dashboardAndClientAreServedWithTheirContentTypes() {
        assertPage("/admin/", "text/html", "<title>Switchboard");
        assertPage("/admin/admin.js", "text/javascript", "/js/switchboard.js");
        assertPage("/admin/admin.css", "text/css", "{");
        assertPage("/js/switchboard.js", "text/javascript", "export function connect(");
        assertPage("/js/example.html", "text/html", "<script type=\"module\">");
    }

    @Test
    void anythingButPagesAndPathsLeavingTheFolderAreNotFound() {
        for (String path : new String[]{"/js/package.json", "/js/", "/admin/nothing.js", "/js/%2e%2e/web/switchboard.js",
                "/js/..%2fswitchboard.js", "/admin/..%2f..%2fMETA-INF/MANIFEST.MF", "/switchboard.js"}) {
            assertEquals(404, hub.get(path).statusCode(), path);
        }
    }

    /** Without API keys or a JWK set, loopback callers are administrators: the dashboard's audit tail works without a token. */
    @Test
    void loopbackAdministratorWatchesTheAuditWithoutToken() throws Exception {
        try (JsonWebSocket watcher = JsonWebSocket.connect(URI.create("ws://127.0.0.1:" + hub.port() + "/ws/audit?types=room.joined"));
             JsonWebSocket client = JsonWebSocket.connect(hub.ws())) {
            watcher.nextOfType("connected", WAIT);
            client.nextOfType("connected", WAIT);
            client.join("pages:1");
            var entry = watcher.nextOfType("audit", WAIT).path("data");
            assertEquals("room.joined", entry.path("type").asText(), entry.toString());
            assertEquals("pages:1", entry.path("room").asText(), entry.toString());
        }
    }

    private static void assertPage(String path, String contentType, String contains) {
        HttpResponse<String> response = hub.get(path);
        assertEquals(200, response.statusCode(), path);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(contentType),
                path + ": " + response.headers().firstValue("Content-Type"));
        assertTrue(response.body().contains(contains), path + " should contain " + contains);
    }
}

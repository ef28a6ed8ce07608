package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.application.auth.ApiCredentials;
import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.RoomName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who may publish, administer, or name a room in a backend's request: an API key or a token with the
 * role, else 401 (no or a bad credential) or 403 (a token without the role), with a JSON body.
 */
class PublisherGateTest {
    private static final String KEY = "key-of-the-backend";

    private final PublisherGate gate = new PublisherGate(new ApiCredentials(List.of(KEY), Optional.of(PublisherGateTest::verify)));
    private final BareServer server = BareServer.start(routing -> routing
            .get("/publisher", (req, res) -> {
                res.send(gate.publisher(req)); // a refusal is thrown, and answered by the routes' error handler
            })
            .get("/admin", (req, res) -> {
                if (gate.admitAdmin(req, res)) {
                    res.send("admin");
                }
            })
            .get("/rooms/{room}", (req, res) -> {
                RoomName room = RoomPath.of(req, res, gate);
                if (room != null) {
                    res.send(room.value());
                }
            }));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPublisherIsLetThroughAndNamedForTheAudit() throws Exception {
        assertAnswer(200, "api-key:1", server.get("/publisher", KEY));
        assertAnswer(200, "ada", server.get("/publisher", "publisher-token"));
    }

    @Test
    void noCredentialOrABadOneIs401AndATokenWithoutTheRoleIs403() throws Exception {
        assertRefused(401, "AUTH_INVALID", ApiCredentials.Verdict.MISSING, server.get("/publisher", null));
        assertRefused(401, "AUTH_INVALID", ApiCredentials.Verdict.INVALID, server.get("/publisher", "not-a-key"));
        assertRefused(403, "FORBIDDEN", ApiCredentials.Verdict.MISSING_ROLE, server.get("/publisher", "admin-token"));
    }

    @Test
    void anApiKeyDoesNotMakeAnAdministrator() throws Exception {
        assertRefused(401, "AUTH_INVALID", ApiCredentials.Verdict.INVALID, server.get("/admin", KEY));
        assertRefused(403, "FORBIDDEN", ApiCredentials.Verdict.MISSING_ROLE, server.get("/admin", "publisher-token"));
        assertAnswer(200, "admin", server.get("/admin", "admin-token"));
    }

    @Test
    void aRoomRequestTakesAPublisherOrAnAdministratorAndARoomAClientCouldJoin() throws Exception {
        assertAnswer(200, "task:1", server.get("/rooms/task:1", KEY));
        assertAnswer(200, "task:1", server.get("/rooms/task:1", "admin-token"));
        assertRefused(401, "AUTH_INVALID", ApiCredentials.Verdict.MISSING, server.get("/rooms/task:1", null));

        HttpResponse<String> reserved = server.get("/rooms/$stats", KEY);
        assertEquals(400, reserved.statusCode());
        assertEquals("room $stats is reserved for the hub", BareServer.json(reserved).path("message").asText());
        HttpResponse<String> invalid = server.get("/rooms/task!1", KEY);
        assertEquals(400, invalid.statusCode());
        JsonNode body = BareServer.json(invalid);
        assertEquals("MESSAGE_INVALID", body.path("code").asText());
        assertEquals("room: " + RoomName.problemWith("task!1"), body.path("message").asText());
    }

    private static void assertAnswer(int status, String body, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(body, response.body());
    }

    private static void assertRefused(int status, String code, ApiCredentials.Verdict why, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        JsonNode body = BareServer.json(response);
        assertEquals(code, body.path("code").asText(), body.toString());
        assertEquals(ApiCredentials.explain(why), body.path("message").asText(), body.toString());
    }

    /** Two valid tokens, one per role; anything else is no token at all. */
    private static Principal verify(String token) {
        return switch (token) {
            case "publisher-token" -> new Principal("ada", Set.of("publisher"), List.of(), Instant.MAX);
            case "admin-token" -> new Principal("grace", Set.of("admin"), List.of(), Instant.MAX);
            default -> throw new TokenRejectedException(ErrorCode.AUTH_INVALID, "not a token");
        };
    }
}

package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.DevTokens;
import io.switchboard.bootstrap.testing.HookBackend;
import io.switchboard.bootstrap.testing.HookBackend.Answer;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked examples of docs/hooks.md on the seeds' own profiles (docs/profiles/*.yaml, with the
 * hook added as the doc shows): seed 002's {@code USER_NOT_FOUND} and seed 003's "reviewers and author".
 */
class HookWorkedExamplesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Set<String> USERS = Set.of("1", "alice", "bob");
    private static final Map<String, List<String>> REVIEWERS_AND_AUTHOR = Map.of("42", List.of("alice", "bob"));

    /** The doc's example backend: the users table (connect) and who reviews or wrote each proposal (subscribe). */
    private static Answer application(JsonNode question) {
        if (question.has("room")) {
            List<String> allowed = REVIEWERS_AND_AUTHOR.getOrDefault(question.path("room").asText().split(":")[1], List.of());
            return allowed.contains(question.path("userId").asText()) ? Answer.allow()
                    : Answer.refuse("FORBIDDEN", "only the reviewers and the author of this proposal");
        }
        return USERS.contains(question.path("userId").asText()) ? Answer.allow()
                : Answer.refuse("USER_NOT_FOUND", "User ID in token does not exist");
    }

    @Test
    void seed002AUserTheApplicationNoLongerKnowsGetsUserNotFoundInThePayloadEnvelopeThenClose4003() throws Exception {
        try (HookBackend backend = HookBackend.start(HookWorkedExamplesTest::application);
             TestHub hub = TestHub.startWithYaml(profile("task-dashboard").replace("    - path: /ws/dashboard/{userId}\n",
                     "    - path: /ws/dashboard/{userId}\n      hooks: { connect: { url: \"" + backend.url("/hooks/connect") + "\" } }\n"),
                     Map.of())) {
            try (JsonWebSocket deleted = JsonWebSocket.connect(dashboard(hub, "9"))) {
                JsonNode error = deleted.nextOfType("error", WAIT);
                assertEquals("USER_NOT_FOUND", error.path("payload").path("code").asText(), error.toString());
                assertEquals("User ID in token does not exist", error.path("payload").path("message").asText());
                assertEquals(4003, deleted.closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            try (JsonWebSocket known = JsonWebSocket.connect(dashboard(hub, "1"))) {
                assertEquals(1, known.nextOfType("connection_success", WAIT).path("payload").path("userId").asInt());
            }
            assertEquals("/ws/dashboard/{userId}", backend.questions().getLast().path("endpoint").asText());
            assertEquals("1", backend.questions().getLast().path("params").path("userId").asText());
        }
    }

    @Test
    void seed003OnlyTheReviewersAndTheAuthorFollowAProposal() throws Exception {
        try (HookBackend backend = HookBackend.start(HookWorkedExamplesTest::application);
             TestHub hub = TestHub.startWithYaml(profile("proposal-review").replace("      access: members ",
                     "      hooks: { subscribe: { url: \"" + backend.url("/hooks/subscribe") + "\" } }\n      access: authenticated "),
                     Map.of())) {
            try (JsonWebSocket bob = JsonWebSocket.connect(project(hub, "bob"));
                 JsonWebSocket carol = JsonWebSocket.connect(project(hub, "carol"))) {
                bob.join("proposal:42");
                assertEquals("proposal:42", bob.nextOfType("joined", WAIT).path("room").asText());
                carol.join("proposal:42");
                JsonNode refused = carol.nextOfType("error", WAIT);
                assertEquals("FORBIDDEN", refused.path("code").asText(), refused.toString());
                assertEquals("only the reviewers and the author of this proposal", refused.path("message").asText());
            }
            try (SseClient author = SseClient.open(hub.http("/api/v1/proposals/42/events?token=" + token("alice")), Map.of())) {
                assertEquals("proposal:42", author.nextOfType("joined", WAIT).json().path("data").path("room").asText(),
                        "the author's stream is asked the same way");
            }
            assertTrue(backend.questions().stream().anyMatch(q -> "carol".equals(q.path("userId").asText())
                    && "proposal:42".equals(q.path("room").asText())), backend.questions().toString());
        }
    }

    private static String profile(String name) throws IOException {
        return Files.readString(Path.of("..", "docs", "profiles", name + ".yaml"));
    }

    private static URI dashboard(TestHub hub, String userId) {
        return URI.create("ws://127.0.0.1:" + hub.port() + "/ws/dashboard/" + userId + "?token=" + DevTokens.of(userId));
    }

    private static URI project(TestHub hub, String user) {
        return URI.create("ws://127.0.0.1:" + hub.port() + "/ws/projects/p1?token=" + token(user));
    }

    private static String token(String user) {
        return DevTokens.of(user, List.of(), List.of("project:*"), Duration.ofMinutes(10));
    }
}

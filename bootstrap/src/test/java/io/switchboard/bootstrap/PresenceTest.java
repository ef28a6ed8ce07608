package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.EngineIoSocket;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC 16 presence on one node: who is in a room (HTTP and WebSocket, paged), {@code presence.join} /
 * {@code presence.leave} to the other members once each (WebSocket and SSE), never stored in the room's
 * history, and what a room without presence answers.
 */
class PresenceTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HUB_YAML = """
            hub:
              socket-io:
                path: /socket.io/
              namespaces:
                chat:
                  presence: true
                  presence-events: true
                quiet:
                  presence: true
                tiny:
                  presence: true
                  presence-max-members: 2
                team:
                  access: members
                  presence: true
                  presence-events: true
            """;

    @Test
    void membersAreListedExactlyWebSocketSseAndAnonymous() throws Exception {
        try (TestHub hub = hub();
             JsonWebSocket alice = member(hub, "alice", "chat:1");
             JsonWebSocket anonymous = member(hub, null, "chat:1");
             JsonWebSocket aliceAgain = member(hub, "alice", "chat:1");
             SseClient bob = sse(hub, "bob", "chat:1")) {
            String bobId = sseConnectionId(bob);
            JsonNode page = presence(hub, "chat:1", "");
            assertEquals("chat:1", page.path("room").asText(), page.toString());
            assertEquals(Map.of(id(alice), "alice", id(anonymous), "null", id(aliceAgain), "alice", bobId, "bob"), clients(page));
            assertTrue(page.path("clients").get(0).has("userId"), "userId is always present: " + page);
            assertEquals(2, page.path("users").asInt(), "alice and bob; anonymous clients are no user: " + page);
            assertEquals(4, page.path("connections").asInt(), page.toString());
            assertTrue(page.path("next").isNull(), page.toString());
            assertEquals(sorted(clients(page).keySet()), ids(page), "clients are ordered by connection id");
        }
    }

    /** An SSE stream's end is seen at its next write: the heartbeat comment, here every 300 ms. */
    @Test
    void aLeftOrClosedMemberIsNoLongerListed() throws Exception {
        try (TestHub hub = TestHub.startWithYaml(HUB_YAML, Map.of("hub.auth.jwks", AuthTest.JWKS, "hub.sse.heartbeat", "300ms"));
             JsonWebSocket alice = member(hub, "alice", "chat:2")) {
            JsonWebSocket carol = member(hub, "carol", "chat:2");
            SseClient dave = sse(hub, "dave", "chat:2");
            carol.leave("chat:2");
            carol.nextOfType("left", WAIT);
            dave.close();
            awaitMembers(hub, "chat:2", Set.of(id(alice)));
            carol.close();
        }
    }

    @Test
    void pagesFollowEachOtherWithAfterAndNext() throws Exception {
        try (TestHub hub = hub()) {
            List<JsonWebSocket> members = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    members.add(member(hub, null, "chat:3"));
                }
                List<String> all = sorted(members.stream().map(PresenceTest::id).toList());
                JsonNode first = presence(hub, "chat:3", "?limit=2");
                assertEquals(all.subList(0, 2), ids(first));
                assertEquals(all.get(1), first.path("next").asText(), first.toString());
                assertEquals(5, first.path("connections").asInt(), "totals are the room's, not the page's: " + first);
                assertEquals(0, first.path("users").asInt(), first.toString());
                JsonNode second = presence(hub, "chat:3", "?limit=2&after=" + first.path("next").asText());
                assertEquals(all.subList(2, 4), ids(second));
                JsonNode last = presence(hub, "chat:3", "?limit=2&after=" + second.path("next").asText());
                assertEquals(all.subList(4, 5), ids(last));
                assertTrue(last.path("next").isNull(), "the last page has no next: " + last);
                assertEquals(all, ids(presence(hub, "chat:3", "?limit=1000")));
                assertEquals(all.subList(0, 5), ids(presence(hub, "chat:3", "")), "the default page holds 100");
            } finally {
                members.forEach(JsonWebSocket::close);
            }
        }
    }

    @Test
    void aBadLimitOrRoomIs400AndCredentialsAreRequired() throws Exception {
        try (TestHub hub = hub()) {
            for (String query : new String[] {"?limit=0", "?limit=1001", "?limit=ten", "?limit=-3", "?limit="}) {
                HttpResponse<String> bad = get(hub, "/api/v1/rooms/chat:1/presence" + query, publisher());
                assertEquals(400, bad.statusCode(), query + " " + bad.body());
                assertTrue(bad.body().contains("limit"), bad.body());
            }
            assertEquals(400, get(hub, "/api/v1/rooms/bad%20room/presence", publisher()).statusCode());
            assertEquals(400, get(hub, "/api/v1/rooms/$stats/presence", publisher()).statusCode());
            assertEquals(401, get(hub, "/api/v1/rooms/chat:1/presence", null).statusCode());
            assertEquals(403, get(hub, "/api/v1/rooms/chat:1/presence", "Bearer " + AuthTest.token("eve", "", TTL)).statusCode());
            assertEquals(200, get(hub, "/api/v1/rooms/chat:1/presence", "Bearer " + AuthTest.token("root", "admin", TTL)).statusCode());
        }
    }

    @Test
    void aRoomWithoutPresenceIs404PresenceDisabledOverHttpAndWebSocket() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket alice = member(hub, "alice", "plain:1")) {
            HttpResponse<String> disabled = get(hub, "/api/v1/rooms/plain:1/presence", publisher());
            assertEquals(404, disabled.statusCode(), disabled.body());
            JsonNode body = JsonWebSocket.json().readTree(disabled.body());
            assertEquals("PRESENCE_DISABLED", body.path("code").asText(), disabled.body());
            assertFalse(body.path("message").asText().isEmpty(), disabled.body());
            alice.send("{\"type\":\"presence\",\"data\":{\"room\":\"plain:1\"},\"ref\":\"p1\"}");
            JsonNode error = alice.nextOfType("error", WAIT);
            assertEquals("PRESENCE_DISABLED", error.path("data").path("code").asText(), error.toString());
            assertEquals("p1", error.path("data").path("ref").asText(), error.toString());
        }
    }

    @Test
    void aMemberAsksOverWebSocketAndANonMemberIsRefused() throws Exception {
        try (TestHub hub = hub();
             JsonWebSocket alice = member(hub, "alice", "chat:4");
             JsonWebSocket bob = member(hub, "bob", "chat:5")) {
            alice.send("{\"type\":\"presence\",\"data\":{\"room\":\"chat:4\"}}");
            JsonNode answer = alice.nextOfType("presence", WAIT);
            assertEquals("chat:4", answer.path("data").path("room").asText(), answer.toString());
            assertEquals(Map.of(id(alice), "alice"), clients(answer.path("data")));
            assertEquals(1, answer.path("data").path("users").asInt());
            assertEquals(1, answer.path("data").path("connections").asInt());
            assertTrue(answer.path("data").path("next").isNull(), answer.toString());

            bob.send("{\"type\":\"presence\",\"data\":{\"room\":\"chat:4\"},\"ref\":\"who\"}");
            JsonNode refused = bob.nextOfType("error", WAIT);
            assertEquals("FORBIDDEN", refused.path("data").path("code").asText(), refused.toString());
            assertEquals("who", refused.path("data").path("ref").asText(), refused.toString());

            bob.send("{\"type\":\"presence\",\"data\":{\"room\":\"chat:5\",\"limit\":0}}");
            assertEquals("MESSAGE_INVALID", bob.nextOfType("error", WAIT).path("data").path("code").asText());
            bob.send("{\"type\":\"presence\",\"data\":{}}");
            assertEquals("MESSAGE_INVALID", bob.nextOfType("error", WAIT).path("data").path("code").asText());
        }
    }

    @Test
    void joinAndLeaveReachTheOtherMembersOnceEachAndNeverTheHistory() throws Exception {
        try (TestHub hub = hub();
             JsonWebSocket alice = member(hub, "alice", "chat:6");
             SseClient bob = sse(hub, "bob", "chat:6")) {
            String bobId = sseConnectionId(bob);
            assertNotice(alice.nextOfType("presence.join", WAIT), "presence.join", "chat:6", bobId, "bob");
            String first = publish(hub, "chat:6", "before");
            JsonWebSocket carol = member(hub, "carol", "chat:6");
            JsonWebSocket anonymous = member(hub, null, "chat:6");
            String carolId = id(carol);
            String anonymousId = id(anonymous);

            assertNotice(alice.nextOfType("presence.join", WAIT), "presence.join", "chat:6", carolId, "carol");
            assertNotice(alice.nextOfType("presence.join", WAIT), "presence.join", "chat:6", anonymousId, null);
            assertNotice(bob.nextOfType("presence.join", WAIT).json(), "presence.join", "chat:6", carolId, "carol");
            assertNotice(bob.nextOfType("presence.join", WAIT).json(), "presence.join", "chat:6", anonymousId, null);
            assertNotice(carol.nextOfType("presence.join", WAIT), "presence.join", "chat:6", anonymousId, null);

            carol.leave("chat:6");
            anonymous.close();
            assertNotice(alice.nextOfType("presence.leave", WAIT), "presence.leave", "chat:6", carolId, "carol");
            assertNotice(alice.nextOfType("presence.leave", WAIT), "presence.leave", "chat:6", anonymousId, null);
            assertNotice(bob.nextOfType("presence.leave", WAIT).json(), "presence.leave", "chat:6", carolId, "carol");
            assertNotice(bob.nextOfType("presence.leave", WAIT).json(), "presence.leave", "chat:6", anonymousId, null);

            // nothing more: no second join or leave of anyone, and carol never heard of herself
            String marker = publish(hub, "chat:6", "marker");
            assertEquals(marker, nextNotJoined(alice).path("id").asText(), "alice got nothing more");
            assertEquals("marker", nextSseNotHeartbeat(bob).json().path("data").path("m").asText(), "bob got nothing more");
            for (JsonNode seen : carol.history()) {
                assertFalse(seen.toString().contains("\"connectionId\":\"" + carolId + "\"") && seen.path("type").asText().startsWith("presence"),
                        "carol is not told of her own join: " + seen);
            }
            carol.close();

            // the room's history holds the two ticks only
            try (JsonWebSocket late = JsonWebSocket.connect(hub.ws())) {
                late.nextOfType("connected", WAIT);
                late.join("chat:6", first);
                late.nextOfType("joined", WAIT);
                JsonNode replayed = late.next(WAIT);
                assertEquals("tick", replayed.path("type").asText(), replayed.toString());
                assertEquals(marker, replayed.path("id").asText(), "only the marker follows 'before' in the history: " + replayed);
            }
        }
    }

    @Test
    void aSocketIoClientIsAMemberAndHearsTheOthers() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket alice = member(hub, "alice", "chat:7");
             EngineIoSocket socketIo = EngineIoSocket.open(hub.port(), "/socket.io/", "", Map.of())) {
            socketIo.connect(null, WAIT);
            String sid = socketIo.nextEvent("connected", WAIT).path(1).path("connectionId").asText();
            socketIo.emit("join", "\"chat:7\"");
            assertEquals("chat:7", socketIo.nextEvent("joined", WAIT).path(1).path("room").asText());
            assertNotice(alice.nextOfType("presence.join", WAIT), "presence.join", "chat:7", sid, null);
            assertEquals(Map.of(id(alice), "alice", sid, "null"), clients(presence(hub, "chat:7", "")));

            JsonWebSocket bob = member(hub, "bob", "chat:7");
            JsonNode heard = socketIo.nextEvent("presence.join", WAIT);
            assertEquals(Map.of("room", "chat:7", "connectionId", id(bob), "userId", "bob"),
                    Map.of("room", heard.path(1).path("room").asText(), "connectionId", heard.path(1).path("connectionId").asText(),
                            "userId", heard.path(1).path("userId").asText()), heard.toString());
            bob.close();
            assertEquals(id(bob), socketIo.nextEvent("presence.leave", WAIT).path(1).path("connectionId").asText());
            socketIo.close();
            assertNotice(alice.nextOfType("presence.join", WAIT), "presence.join", "chat:7", id(bob), "bob");
            assertNotice(alice.nextOfType("presence.leave", WAIT), "presence.leave", "chat:7", id(bob), "bob");
            assertNotice(alice.nextOfType("presence.leave", WAIT), "presence.leave", "chat:7", sid, null);
        }
    }

    @Test
    void theTokensInfoClaimIsTheMembersInfo() throws Exception {
        String info = "{\"name\":\"Alice A.\",\"color\":\"#f80\"}";
        try (TestHub hub = hub();
             JsonWebSocket alice = memberWithToken(hub, tokenWithInfo("alice", info), "chat:8");
             JsonWebSocket bob = member(hub, "bob", "chat:8");
             JsonWebSocket huge = memberWithToken(hub, tokenWithInfo("carl", "\"" + "x".repeat(2000) + "\""), "chat:8")) {
            JsonNode page = presence(hub, "chat:8", "");
            for (JsonNode client : page.path("clients")) {
                String user = client.path("userId").asText();
                if (user.equals("alice")) {
                    assertEquals(JsonWebSocket.json().readTree(info), client.path("info"), page.toString());
                } else {
                    assertFalse(client.has("info"), "no info (none, or over 1 KiB): " + client);
                }
            }
            assertEquals(Set.of(id(alice), id(bob), id(huge)), clients(page).keySet());
        }
    }

    @Test
    void aRevokedMemberLeavesOnce() throws Exception {
        try (TestHub hub = hub()) {
            addMember(hub, "team:1", "frank");
            addMember(hub, "team:1", "grace");
            try (JsonWebSocket grace = member(hub, "grace", "team:1");
                 JsonWebSocket frank = member(hub, "frank", "team:1")) {
                assertNotice(grace.nextOfType("presence.join", WAIT), "presence.join", "team:1", id(frank), "frank");
                HttpResponse<String> removed = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/team:1/members/frank"))
                        .header("Authorization", publisher()).DELETE().build());
                assertEquals(204, removed.statusCode(), removed.body());
                assertEquals("FORBIDDEN", frank.nextOfType("left", WAIT).path("data").path("reason").asText());
                assertNotice(grace.nextOfType("presence.leave", WAIT), "presence.leave", "team:1", id(frank), "frank");
                frank.close();
                String marker = publish(hub, "team:1", "marker");
                JsonNode next = nextNotJoined(grace);
                assertEquals(marker, next.path("id").asText(), "no second leave when frank closes: " + next);
                assertEquals(Map.of(id(grace), "grace"), clients(presence(hub, "team:1", "")));
            }
        }
    }

    @Test
    void aNamespaceWithoutEventsListsButTellsNothing() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket alice = member(hub, "alice", "quiet:1");
             JsonWebSocket bob = member(hub, "bob", "quiet:1")) {
            bob.close();
            awaitMembers(hub, "quiet:1", Set.of(id(alice)));
            String marker = publish(hub, "quiet:1", "marker");
            assertEquals(marker, nextNotJoined(alice).path("id").asText(), "no presence.join nor presence.leave");
        }
    }

    @Test
    void membersBeyondTheRoomsBoundAreNotTracked() throws Exception {
        try (TestHub hub = hub(); JsonWebSocket a = member(hub, "a", "tiny:1"); JsonWebSocket b = member(hub, "b", "tiny:1");
             JsonWebSocket c = member(hub, "c", "tiny:1")) {
            JsonNode page = presence(hub, "tiny:1", "");
            assertEquals(Map.of(id(a), "a", id(b), "b"), clients(page), "the first two are tracked");
            assertEquals(2, page.path("connections").asInt(), page.toString());
            a.close();
            awaitMembers(hub, "tiny:1", Set.of(id(b)));
            try (JsonWebSocket d = member(hub, "d", "tiny:1")) {
                assertEquals(Set.of(id(b), id(d)), clients(presence(hub, "tiny:1", "")).keySet(), "a place freed is taken again");
            }
        }
    }

    // ---- helpers ----

    static void assertNotice(JsonNode message, String type, String room, String connectionId, String userId) {
        assertEquals(type, message.path("type").asText(), message.toString());
        JsonNode data = message.path("data");
        assertEquals(room, data.path("room").asText(), message.toString());
        assertEquals(connectionId, data.path("connectionId").asText(), message.toString());
        assertTrue(data.has("userId"), message.toString());
        if (userId == null) {
            assertTrue(data.path("userId").isNull(), message.toString());
        } else {
            assertEquals(userId, data.path("userId").asText(), message.toString());
        }
        assertFalse(message.has("id"), "a presence notice is not a room event with an id: " + message);
    }

    private static JsonNode nextNotJoined(JsonWebSocket client) {
        while (true) {
            JsonNode next = client.next(WAIT);
            if (!next.path("type").asText().equals("joined")) {
                return next;
            }
        }
    }

    /** The next block that is a message, skipping heartbeat comments. */
    private static SseClient.Block nextSseNotHeartbeat(SseClient client) throws InterruptedException {
        while (true) {
            SseClient.Block block = client.next(WAIT);
            if (block.event() != null) {
                return block;
            }
        }
    }

    private static TestHub hub() {
        return TestHub.startWithYaml(HUB_YAML, Map.of("hub.auth.jwks", AuthTest.JWKS));
    }

    /** A WebSocket client (anonymous when {@code user} is null) that joined {@code room}; its connection id is {@link #id}. */
    static JsonWebSocket member(TestHub hub, String user, String room) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws(), user == null ? Map.of() : Map.of("Authorization", "Bearer " + token(user)));
        client.nextOfType("connected", WAIT);
        client.join(room);
        JsonNode joined = client.nextOfType("joined", WAIT);
        assertEquals(room, joined.path("data").path("room").asText(), joined.toString());
        return client;
    }

    private static JsonWebSocket memberWithToken(TestHub hub, String token, String room) throws Exception {
        JsonWebSocket client = JsonWebSocket.connect(hub.ws(), Map.of("Authorization", "Bearer " + token));
        client.nextOfType("connected", WAIT);
        client.join(room);
        client.nextOfType("joined", WAIT);
        return client;
    }

    /** An HS256 token of {@link AuthTest#JWKS}'s key with an {@code info} claim, as an application's backend would sign it. */
    private static String tokenWithInfo(String user, String infoJson) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"dev\"}".getBytes());
        long exp = java.time.Instant.now().plus(TTL).getEpochSecond();
        String payload = b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":" + exp + ",\"info\":" + infoJson + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] key = java.util.Base64.getUrlDecoder().decode(JsonWebSocket.json().readTree(AuthTest.JWKS).path("keys").get(0).path("k").asText());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload).getBytes()));
    }

    static String id(JsonWebSocket client) {
        for (JsonNode message : client.history()) {
            if (message.path("type").asText().equals("connected")) {
                return message.path("data").path("connectionId").asText();
            }
        }
        throw new AssertionError("no connected message");
    }

    private static SseClient sse(TestHub hub, String user, String room) throws Exception {
        SseClient client = SseClient.open(hub.http("/sse?rooms=" + room), Map.of("Authorization", "Bearer " + token(user)));
        assertEquals(200, client.status());
        return client;
    }

    private static String sseConnectionId(SseClient client) throws InterruptedException {
        return client.nextOfType("connected", WAIT).json().path("data").path("connectionId").asText();
    }

    static JsonNode presence(TestHub hub, String room, String query) throws Exception {
        HttpResponse<String> response = get(hub, "/api/v1/rooms/" + room + "/presence" + query, publisher());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        return JsonWebSocket.json().readTree(response.body());
    }

    /** Waits until the room's members are exactly {@code ids} (a close is seen by the hub a moment after the client's). */
    private static void awaitMembers(TestHub hub, String room, Set<String> ids) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode page = presence(hub, room, "");
        while (!clients(page).keySet().equals(ids) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            page = presence(hub, room, "");
        }
        assertEquals(ids, clients(page).keySet(), page.toString());
        assertEquals(ids.size(), page.path("connections").asInt(), page.toString());
    }

    /** connectionId → userId ({@code "null"} for anonymous). */
    static Map<String, String> clients(JsonNode page) {
        Map<String, String> clients = new java.util.HashMap<>();
        for (JsonNode client : page.path("clients")) {
            String previous = clients.put(client.path("connectionId").asText(), client.path("userId").isNull() ? "null"
                    : client.path("userId").asText());
            assertEquals(null, previous, "each client once: " + page);
        }
        return clients;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("clients").forEach(client -> ids.add(client.path("connectionId").asText()));
        return ids;
    }

    private static List<String> sorted(java.util.Collection<String> ids) {
        return List.copyOf(new TreeSet<>(ids));
    }

    private static HttpResponse<String> get(TestHub hub, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return TestHub.send(request.build());
    }

    private static String publish(TestHub hub, String room, String marker) throws Exception {
        HttpResponse<String> response = hub.post("/api/v1/events",
                "{\"room\":\"" + room + "\",\"type\":\"tick\",\"data\":{\"m\":\"" + marker + "\"}}", Map.of("Authorization", publisher()));
        assertEquals(202, response.statusCode(), response.body());
        return JsonWebSocket.json().readTree(response.body()).path("ids").path(room).asText();
    }

    private static void addMember(TestHub hub, String room, String user) {
        HttpResponse<String> added = TestHub.send(HttpRequest.newBuilder(hub.http("/api/v1/rooms/" + room + "/members/" + user))
                .header("Authorization", publisher()).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, added.statusCode(), added.body());
    }

    private static String publisher() {
        return "Bearer " + AuthTest.token("backend", "publisher", TTL);
    }

    private static String token(String user) {
        return AuthTest.token(user, "", TTL);
    }
}

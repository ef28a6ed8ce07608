package io.switchboard.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bootstrap.testing.HubProcess;
import io.switchboard.bootstrap.testing.JsonWebSocket;
import io.switchboard.bootstrap.testing.TestSchema;
import io.switchboard.bootstrap.testing.TwoNodeCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's bus intake on PostgreSQL with two hub processes on one schema: an application's own
 * transaction inserts its domain event into the intake room (the transactional outbox), and each
 * domain event is bridged exactly once although both nodes hear it. Skipped with a printed reason
 * when PostgreSQL is not reachable, except on CI ({@code CI=true}), where that fails.
 */
class PostgresBusIntakeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String INSERT_INTAKE = "INSERT INTO events (room, event_type, data) VALUES ('$domain-events', 'domain.event', ?)";

    @TempDir
    static Path temp;
    private static TwoNodeCluster cluster;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        cluster = TwoNodeCluster.start(temp, "sb_intake", PostgresBusIntakeTest.class, DomainEventIntakeTest.BRIDGE);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Connection application() throws SQLException {
        return DriverManager.getConnection(cluster.jdbcUrl(), TestSchema.USER, "");
    }

    /** In the application's open transaction: its own write (session s-1 renamed) and the domain event in the outbox. */
    private static void renameWithDomainEvent(Connection db, String title) throws SQLException {
        try (PreparedStatement rename = db.prepareStatement("INSERT INTO app_sessions (id, title) VALUES ('s-1', ?)");
             PreparedStatement outbox = db.prepareStatement(INSERT_INTAKE)) {
            rename.setString(1, title);
            rename.executeUpdate();
            outbox.setString(1, envelope("s-1", title));
            outbox.executeUpdate();
        }
    }

    private static String envelope(String sessionId, String title) {
        return DomainEventIntakeTest.envelope(sessionId, title).replace("\n", "");
    }

    /** The outbox: the application's state change and its domain event commit together, or neither does. */
    @Test
    void anApplicationsOwnTransactionFeedsTheBridgeAndARolledBackOneDoesNot() throws Exception {
        try (JsonWebSocket client = JsonWebSocket.connect(cluster.b().ws());
             Connection db = application()) {
            client.join("session:s-1");
            client.nextOfType("joined", WAIT);
            try (Statement sql = db.createStatement()) {
                sql.execute("CREATE TABLE IF NOT EXISTS app_sessions (id TEXT PRIMARY KEY, title TEXT NOT NULL)");
            }
            db.setAutoCommit(false);
            renameWithDomainEvent(db, "Dropped");
            db.rollback();
            renameWithDomainEvent(db, "Plan");
            db.commit();
            JsonNode update = client.nextEvents(1, WAIT).getFirst();
            assertEquals("dashboard.update", update.path("type").asText(), update.toString());
            assertEquals("session.metadata", update.path("updateType").asText(), update.toString());
            assertEquals("corr-Plan", update.path("correlationId").asText(), update.toString());
            assertEquals("Plan", update.path("data").path("title").asText(), update.toString());
            // an application whose own tables are elsewhere names the hub's schema
            try (Statement sql = db.createStatement();
                 PreparedStatement outbox = db.prepareStatement(INSERT_INTAKE.replace("INTO events", "INTO " + cluster.schema() + ".events"))) {
                sql.execute("SET LOCAL search_path = public");
                outbox.setString(1, envelope("s-1", "Qualified"));
                outbox.executeUpdate();
                db.commit();
            }
            assertEquals("Qualified", client.nextEvents(1, WAIT).getFirst().path("data").path("title").asText());
            assertThrows(AssertionError.class, () -> client.nextEvents(1, Duration.ofSeconds(1)), "the rolled-back event never comes");
        }
    }

    /**
     * Both nodes hear every intake event; clients on each count the bridged events: every domain
     * event once, in intake order, whether it came through the outbox or either node's publish API.
     */
    @Test
    void twoNodesBridgeEachDomainEventExactlyOnce() throws Exception {
        int count = 120;
        long publishedBefore = bridgedPublished(cluster.a()) + bridgedPublished(cluster.b());
        try (JsonWebSocket onA = JsonWebSocket.connect(cluster.a().ws());
             JsonWebSocket onB = JsonWebSocket.connect(cluster.b().ws());
             Connection db = application();
             PreparedStatement outbox = db.prepareStatement(INSERT_INTAKE)) {
            for (JsonWebSocket client : List.of(onA, onB)) {
                client.join("session:s-9");
                client.nextOfType("joined", WAIT);
            }
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                String title = "t" + n;
                expected.add(title);
                switch (n % 3) {
                    case 0 -> {
                        outbox.setString(1, envelope("s-9", title));
                        outbox.executeUpdate();
                    }
                    case 1 -> assertAccepted(cluster.a().publish(intakeEvent(title)));
                    default -> assertAccepted(cluster.b().publish(intakeEvent(title)));
                }
            }
            for (JsonWebSocket client : List.of(onA, onB)) {
                List<String> titles = client.nextEvents(count, WAIT).stream().map(e -> e.path("data").path("title").asText()).toList();
                assertEquals(expected, titles, "each domain event once, in intake order");
            }
            Thread.sleep(1_500); // a duplicate would come now
            assertThrows(AssertionError.class, () -> onA.nextEvents(1, Duration.ofMillis(200)));
            assertThrows(AssertionError.class, () -> onB.nextEvents(1, Duration.ofMillis(200)));
        }
        assertEquals(count, bridgedPublished(cluster.a()) + bridgedPublished(cluster.b()) - publishedBefore,
                "counted once in the cluster, by the node that bridged it");
        try (Connection db = application(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT (SELECT last_id FROM bridge_positions WHERE room = '$domain-events') AS position, "
                     + "(SELECT last_id FROM rooms WHERE room = '$domain-events') AS intake")) {
            assertTrue(rows.next());
            assertEquals(rows.getLong("intake"), rows.getLong("position"), "the position is at the newest intake event");
        }
    }

    private static String intakeEvent(String title) {
        return "{\"room\":\"$domain-events\",\"type\":\"domain.event\",\"data\":" + envelope("s-9", title) + "}";
    }

    private static void assertAccepted(HttpResponse<String> response) {
        assertEquals(202, response.statusCode(), response.body());
    }

    private static long bridgedPublished(HubProcess node) throws Exception {
        HttpResponse<String> stats = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + node.port() + "/api/v1/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonWebSocket.json().readTree(stats.body()).path("events").path("bridge").path("published").asLong();
    }
}

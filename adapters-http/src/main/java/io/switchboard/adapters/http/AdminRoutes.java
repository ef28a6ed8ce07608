package io.switchboard.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.port.AuditEntry;
import io.switchboard.application.port.AuditFilter;
import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.dialect.CanonicalDialect;
import io.switchboard.application.hub.Connection;
import io.switchboard.application.hub.Hub;
import io.switchboard.application.presence.PresenceService;
import io.switchboard.domain.Timestamps;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * For administrators: {@code GET /api/v1/audit}, the connections ({@code GET}, and {@code DELETE} to
 * kick one) and the rooms with their subscriber counts and last ids.
 */
final class AdminRoutes implements HttpService {
    private static final int MAX_AUDIT_ENTRIES = 1000;

    private final Hub hub;
    private final AuditTrail audit;
    private final PublisherGate gate;
    private final PresenceService presence;

    AdminRoutes(Hub hub, AuditTrail audit, PublisherGate gate, PresenceService presence) {
        this.presence = presence;
        this.hub = hub;
        this.audit = audit;
        this.gate = gate;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/audit", this::audit)
                .get("/api/v1/admin/connections", this::connections)
                .delete("/api/v1/admin/connections/{id}", this::kick)
                .get("/api/v1/admin/rooms", this::rooms);
    }

    /** The audit filter from query parameters {@code types}, {@code user}, {@code room}, {@code ip}. */
    static AuditFilter filter(ServerRequest req) {
        Set<String> types = req.query().first("types")
                .map(t -> Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()))
                .orElse(Set.of());
        return new AuditFilter(types, req.query().first("user").orElse(null), req.query().first("room").orElse(null),
                req.query().first("ip").orElse(null));
    }

    private void audit(ServerRequest req, ServerResponse res) {
        if (!gate.admitAdmin(req, res)) {
            return;
        }
        Instant since = null;
        String sinceText = req.query().first("since").orElse(null);
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText);
            } catch (DateTimeParseException e) {
                JsonBodies.sendError(res, Status.BAD_REQUEST_400, "MESSAGE_INVALID", "since must be an ISO-8601 time, e.g. 2026-11-23T10:00:00Z");
                return;
            }
        }
        StringBuilder body = new StringBuilder("{\"entries\":[");
        boolean first = true;
        for (AuditEntry entry : audit.query(since, filter(req), MAX_AUDIT_ENTRIES)) {
            body.append(first ? "" : ",").append(CanonicalDialect.audit(entry));
            first = false;
        }
        JsonBodies.send(res, Status.OK_200, body.append("]}").toString());
    }

    private void connections(ServerRequest req, ServerResponse res) {
        if (!gate.admitAdmin(req, res)) {
            return;
        }
        String user = req.query().first("user").orElse(null);
        String room = req.query().first("room").orElse(null);
        String ip = req.query().first("ip").orElse(null);
        ObjectNode body = JsonBodies.JSON.createObjectNode();
        ArrayNode list = body.putArray("connections");
        long now = System.nanoTime();
        for (Connection c : hub.connections()) {
            var rooms = hub.roomsOf(c);
            if ((user == null || user.equals(c.userId())) && (ip == null || ip.equals(c.spec().remoteIp()))
                    && (room == null || rooms.contains(room))) {
                ObjectNode item = list.addObject()
                        .put("connectionId", c.id().value())
                        .put("userId", c.userId())
                        .put("ip", c.spec().remoteIp())
                        .put("endpoint", c.spec().endpoint())
                        .put("transport", c.transport())
                        .put("openedAt", Timestamps.format(c.openedAt()))
                        .put("idleMs", c.idleMillis(now));
                rooms.forEach(item.putArray("rooms")::add);
            }
        }
        JsonBodies.send(res, Status.OK_200, body.toString());
    }

    private void kick(ServerRequest req, ServerResponse res) {
        if (!gate.admitAdmin(req, res)) {
            return;
        }
        String id = req.path().pathParameters().get("id");
        if (hub.kick(id, null)) {
            JsonBodies.send(res, Status.ACCEPTED_202, JsonBodies.JSON.createObjectNode().put("kicked", id).toString());
        } else {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "NOT_FOUND", "no open connection with that id");
        }
    }

    private void rooms(ServerRequest req, ServerResponse res) {
        if (!gate.admitAdmin(req, res)) {
            return;
        }
        ObjectNode body = JsonBodies.JSON.createObjectNode();
        ArrayNode list = body.putArray("rooms");
        // presence totals are the cluster's; a presence room with no subscriber on this node is listed too
        java.util.Map<String, PresenceService.RoomTotals> present = new java.util.TreeMap<>();
        if (presence.enabled()) {
            presence.totals().forEach(totals -> present.put(totals.room(), totals));
        }
        for (Hub.RoomView room : hub.rooms()) {
            ObjectNode item = list.addObject().put("room", room.room()).put("subscribers", room.subscribers()).put("lastId", room.lastId());
            presenceOf(item, present.remove(room.room()));
        }
        present.values().forEach(totals -> presenceOf(list.addObject().put("room", totals.room()).put("subscribers", 0)
                .putNull("lastId"), totals));
        JsonBodies.send(res, Status.OK_200, body.toString());
    }

    /** {@code presence: {users, connections}} for a room whose namespace keeps presence and has members. */
    private static void presenceOf(ObjectNode item, PresenceService.RoomTotals totals) {
        if (totals != null) {
            item.putObject("presence").put("users", totals.users()).put("connections", totals.connections());
        }
    }
}

-- Version 4: the cluster's connection places, for per-IP and per-user limits (PostgresConnectionLedger).

-- A node's places count while its heartbeat is fresh (expires_at in the future, by the database's clock).
CREATE TABLE hub_nodes (
    node_id    TEXT                       PRIMARY KEY,
    expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- One row per admitted connection; seq orders admissions (oldest first); last_active is refreshed
-- by the owning node's heartbeat, so it is only as fresh as that; evict_requested rows no longer count
-- and their node closes the connection.
CREATE TABLE connection_slots (
    slot_id         TEXT                       PRIMARY KEY,
    seq             BIGSERIAL                  NOT NULL,
    node_id         TEXT                       NOT NULL,
    ip              TEXT                       NOT NULL,
    user_id         TEXT,
    opened_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_active     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    evict_requested BOOLEAN                    NOT NULL DEFAULT FALSE
);

CREATE INDEX connection_slots_ip ON connection_slots (ip);

CREATE INDEX connection_slots_user ON connection_slots (user_id);

CREATE INDEX connection_slots_node ON connection_slots (node_id);

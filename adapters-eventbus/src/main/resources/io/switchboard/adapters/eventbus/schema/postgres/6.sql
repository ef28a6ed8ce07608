-- Version 6: presence (PostgresPresence): who is in each room of the namespaces that keep presence.

-- A node's members count while its heartbeat is fresh; a node whose heartbeat expired is removed with
-- its members by the first live node that sweeps, which announces their leaves.
CREATE TABLE presence_nodes (
    node_id    TEXT                       PRIMARY KEY,
    expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- One row per connection in a room; user_id NULL for anonymous clients; info is JSON text or NULL.
CREATE TABLE presence_members (
    room          TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    node_id       TEXT NOT NULL,
    user_id       TEXT,
    info          TEXT,
    PRIMARY KEY (room, connection_id)
);

CREATE INDEX presence_members_node ON presence_members (node_id);

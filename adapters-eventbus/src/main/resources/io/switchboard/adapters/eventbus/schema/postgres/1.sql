-- Version 1: the event log, each room's last id, and publish idempotency receipts.

-- A room's newest id survives trimming of its events, so ids are never reused. Appends take
-- this row's lock to allocate ids, so a room's ids commit in id order on every node.
CREATE TABLE rooms (
    room    VARCHAR(129) PRIMARY KEY,
    last_id BIGINT       NOT NULL
);

-- Ids are per room, contiguous, assigned in the appending transaction.
CREATE TABLE events (
    room       VARCHAR(129)               NOT NULL,
    id         BIGINT                     NOT NULL,
    event_type VARCHAR(64)                NOT NULL,
    data       TEXT                       NOT NULL,
    meta       TEXT,
    critical   BOOLEAN                    NOT NULL,
    event_key  VARCHAR(128),
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (room, id)
);

CREATE TABLE publish_receipts (
    idempotency_key VARCHAR(128)               PRIMARY KEY,
    receipt         TEXT                       NOT NULL,
    expires_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE INDEX publish_receipts_expiry ON publish_receipts (expires_at);

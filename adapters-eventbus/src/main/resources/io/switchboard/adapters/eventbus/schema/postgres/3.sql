-- Version 3: the audit log, declared rooms, room state documents and room memberships.

-- Entries older than the audit retention are deleted now and then (EventStorage.AUDIT_RETENTION).
CREATE TABLE audit_log (
    seq           BIGSERIAL                  PRIMARY KEY,
    time          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    type          TEXT                       NOT NULL,
    connection_id TEXT,
    user_id       TEXT,
    ip            TEXT,
    endpoint      TEXT,
    outcome       TEXT,
    room          VARCHAR(129),
    detail        TEXT
);

CREATE INDEX audit_log_time ON audit_log (time);

CREATE TABLE declared_rooms (
    room VARCHAR(129) PRIMARY KEY
);

CREATE TABLE room_states (
    room    VARCHAR(129) PRIMARY KEY,
    state   TEXT         NOT NULL,
    last_id BIGINT       NOT NULL
);

CREATE TABLE room_members (
    room    VARCHAR(129) NOT NULL,
    user_id TEXT         NOT NULL,
    PRIMARY KEY (room, user_id)
);

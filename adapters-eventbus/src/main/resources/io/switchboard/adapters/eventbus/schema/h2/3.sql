-- Version 3: how far the domain-event bridge has read its intake room (JdbcBridgePositions).

CREATE TABLE bridge_positions (
    room    VARCHAR(129) PRIMARY KEY,
    last_id BIGINT       NOT NULL
);

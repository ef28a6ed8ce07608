-- Version 5: how far the domain-event bridge has read its intake room (JdbcBridgePositions). The row
-- is moved in the transaction that stores the bridged events, so each intake event is bridged once.

CREATE TABLE bridge_positions (
    room    VARCHAR(129) PRIMARY KEY,
    last_id BIGINT       NOT NULL
);

-- Version 5: how far the domain-event bridge has read its intake room (JdbcBridgePositions). The row
-- is moved in the transaction that stores the bridged events, so each intake event is bridged once.

CREATE TABLE bridge_positions (
    room    VARCHAR(129) PRIMARY KEY,
    last_id BIGINT       NOT NULL
);

-- The outbox trigger resolves rooms and names its notification channel by the schema the hub runs
-- in, not by the search_path of the application inserting (whose own tables may live elsewhere and
-- which then writes <schema>.events).
ALTER FUNCTION switchboard_outbox_id() SET search_path FROM CURRENT;

-- Version 7: the outbox trigger fires only for rows that leave the id out (an application's
-- outbox insert). The hub's own rows carry their ids, so they no longer call the function at all.
DROP TRIGGER switchboard_outbox ON events;

CREATE TRIGGER switchboard_outbox BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.id IS NULL)
    EXECUTE FUNCTION switchboard_outbox_id();

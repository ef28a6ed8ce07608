-- Version 2: the transactional outbox. An application may insert into events inside its own
-- transaction, leaving id (and created_at, critical) out; this trigger allocates the room's next id
-- under the same row lock the hub takes, and notifies the hubs at commit. The hubs' poll picks the
-- row up even without the notification.
ALTER TABLE events ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE events ALTER COLUMN critical SET DEFAULT false;

CREATE FUNCTION switchboard_outbox_id() RETURNS trigger AS $$
BEGIN
    IF NEW.id IS NULL THEN
        INSERT INTO rooms (room, last_id) VALUES (NEW.room, 0) ON CONFLICT (room) DO NOTHING;
        UPDATE rooms SET last_id = last_id + 1 WHERE room = NEW.room RETURNING last_id INTO NEW.id;
        PERFORM pg_notify('switchboard_events:' || current_schema(), NEW.id || ' ' || NEW.room);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER switchboard_outbox BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION switchboard_outbox_id();

-- The events append is one statement per batch: the INSERT into `events`
-- numbers its row from `event_counters`, and this trigger moves the counter
-- to the number it took, inside the same statement. (PostgreSQL does both
-- in one statement with a data-modifying WITH, which SQLite lacks.)
-- Mirrors migrations/postgres/0009_event_counter_trigger.sql.
CREATE TRIGGER events_advance_counter AFTER INSERT ON events
BEGIN
    INSERT OR IGNORE INTO event_counters (org_id, last_seq) VALUES (NEW.org_id, 0);
    UPDATE event_counters SET last_seq = NEW.seq
     WHERE org_id = NEW.org_id AND last_seq < NEW.seq;
END;

-- SQLite advances `event_counters` with a trigger from here on, so that the
-- events append is one statement. PostgreSQL already does it in one
-- statement (a data-modifying WITH that bumps the counter, holding its row
-- lock until commit, and inserts the row numbered from it): nothing to
-- change here.
-- Mirrors migrations/sqlite/0009_event_counter_trigger.sql.
SELECT 1;

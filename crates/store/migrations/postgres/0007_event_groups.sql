-- One row can hold all the events of a transaction (a batch of inbound
-- messages writes one row instead of one per message): such a row has
-- `seq` = the last sequence of the group and `first_seq` = its first,
-- and its payload is the array of the grouped events, in sequence order.
-- Ordinary rows keep `first_seq` NULL. Readers expand groups, so clients
-- still see one event per sequence number.
-- Mirrors migrations/sqlite/0007_event_groups.sql.
ALTER TABLE events ADD COLUMN first_seq BIGINT;

-- Fewer writes per inbound message: every message updates its
-- conversation, and SQLite rewrites the entries of the indexes whose
-- columns change (`last_message_at`).
--
-- * The thread index now leads with the contact, so it also serves the
--   contact's own list of chats: `conversations_contact` goes.
-- * The agent and department indexes keep only conversations that have
--   one. Their only readers filter on `agent_id = …` / `department_id = …`,
--   which a partial index serves; closed and unassigned chats get no entry.
-- (The events payload change of the PostgreSQL migration has no SQLite
-- counterpart: the column is already the JSON text.)
-- Mirrors migrations/postgres/0010_ingest_writes.sql.
DROP INDEX conversations_thread;
CREATE UNIQUE INDEX conversations_thread ON conversations(contact_id, inbox_id);
DROP INDEX conversations_contact;
DROP INDEX conversations_agent;
CREATE INDEX conversations_agent ON conversations(org_id, agent_id, last_message_at)
    WHERE agent_id IS NOT NULL;
DROP INDEX conversations_department;
CREATE INDEX conversations_department ON conversations(org_id, department_id, last_message_at)
    WHERE department_id IS NOT NULL;

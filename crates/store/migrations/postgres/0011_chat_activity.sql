-- A conversation's activity (last message, unread count, the contact's
-- last message for the session window) moves out of `conversations` into a
-- narrow table of its own, `chat_activity`, with the list's orderings by
-- last message.
--
-- Every inbound message changes those three values. In `conversations`
-- each change rewrote the whole row, and because `last_message_at` was
-- indexed, with an entry in every index of the table; the thread and
-- primary-key indexes, probed by every ingest batch, filled with versions
-- of the same keys. Now a message rewrites only the narrow row (its key
-- and the last-message index), and `conversations` changes only when the
-- chat itself does (attendance, assignment, tags...).
--
-- `chat_activity` keeps a copy of `agent_id` and `department_id` for the
-- per-agent and per-department orderings ("Meus chats", filters); a
-- trigger keeps it equal to the conversation's, and another creates the
-- row with the conversation.
-- Mirrors migrations/sqlite/0011_chat_activity.sql.
CREATE TABLE chat_activity (
    conversation_id UUID PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    org_id          UUID NOT NULL,
    agent_id        UUID,
    department_id   UUID,
    last_message_at BIGINT NOT NULL,
    unread          BIGINT NOT NULL,
    last_inbound_at BIGINT               -- provider time of the contact's last message (CH-5)
);
INSERT INTO chat_activity (conversation_id, org_id, agent_id, department_id, last_message_at, unread, last_inbound_at)
    SELECT id, org_id, agent_id, department_id, last_message_at, unread, last_inbound_at FROM conversations;
CREATE INDEX chat_activity_recent ON chat_activity(org_id, last_message_at, conversation_id);
CREATE INDEX chat_activity_agent ON chat_activity(org_id, agent_id, last_message_at)
    WHERE agent_id IS NOT NULL;
CREATE INDEX chat_activity_department ON chat_activity(org_id, department_id, last_message_at)
    WHERE department_id IS NOT NULL;
DROP INDEX conversations_recent;
DROP INDEX conversations_agent;
DROP INDEX conversations_department;
ALTER TABLE conversations DROP COLUMN last_message_at;
ALTER TABLE conversations DROP COLUMN unread;
ALTER TABLE conversations DROP COLUMN last_inbound_at;

CREATE FUNCTION chat_activity_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO chat_activity (conversation_id, org_id, agent_id, department_id, last_message_at, unread)
        VALUES (NEW.id, NEW.org_id, NEW.agent_id, NEW.department_id, NEW.created_at, 0);
    RETURN NULL;
END
$$;
CREATE TRIGGER chat_activity_open AFTER INSERT ON conversations
    FOR EACH ROW EXECUTE FUNCTION chat_activity_open();

CREATE FUNCTION chat_activity_assign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chat_activity SET agent_id = NEW.agent_id, department_id = NEW.department_id
     WHERE conversation_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER chat_activity_assign AFTER UPDATE ON conversations
    FOR EACH ROW
    WHEN (OLD.agent_id IS DISTINCT FROM NEW.agent_id
          OR OLD.department_id IS DISTINCT FROM NEW.department_id)
    EXECUTE FUNCTION chat_activity_assign();

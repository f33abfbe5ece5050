-- A conversation's activity (last message, unread count, the contact's
-- last message for the session window) moves out of `conversations` into a
-- narrow table of its own, `chat_activity`, with the list's orderings by
-- last message: a message rewrites only that narrow row. See
-- migrations/postgres/0011_chat_activity.sql.
-- Mirrors migrations/postgres/0011_chat_activity.sql.
CREATE TABLE chat_activity (
    conversation_id BLOB PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    org_id          BLOB NOT NULL,
    agent_id        BLOB,
    department_id   BLOB,
    last_message_at INTEGER NOT NULL,
    unread          INTEGER NOT NULL,
    last_inbound_at INTEGER              -- provider time of the contact's last message (CH-5)
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

CREATE TRIGGER chat_activity_open AFTER INSERT ON conversations
BEGIN
    INSERT INTO chat_activity (conversation_id, org_id, agent_id, department_id, last_message_at, unread)
        VALUES (NEW.id, NEW.org_id, NEW.agent_id, NEW.department_id, NEW.created_at, 0);
END;

CREATE TRIGGER chat_activity_assign AFTER UPDATE OF agent_id, department_id ON conversations
    WHEN OLD.agent_id IS NOT NEW.agent_id OR OLD.department_id IS NOT NEW.department_id
BEGIN
    UPDATE chat_activity SET agent_id = NEW.agent_id, department_id = NEW.department_id
     WHERE conversation_id = NEW.id;
END;

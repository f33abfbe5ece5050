-- Conversation sessions (RP-2): a session is the 24-hour window of a
-- contact's continuous conversation with an inbox (seed 001). It opens
-- with a contact's message when the chat had none from them for 24 hours
-- and lasts until the next session of the same chat opens; one session may
-- hold bot dialogue and any number of attendances. The contact's phone and
-- name are kept as captured when it opened.
-- Mirrors migrations/postgres/0015_chat_sessions.sql.
CREATE TABLE chat_sessions (
    id              BLOB PRIMARY KEY,      -- UUIDv7 of its opening instant
    org_id          BLOB NOT NULL REFERENCES organizations(id),
    conversation_id BLOB NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    inbox_id        BLOB NOT NULL,
    contact_id      BLOB NOT NULL,
    phone           TEXT,                  -- captured at the opening
    name            TEXT NOT NULL,         -- captured at the opening
    started_at      BIGINT NOT NULL,       -- when the contact's opening message was stored
    until_at        BIGINT                 -- when the chat's next session opened; NULL: the latest
);
CREATE INDEX chat_sessions_recent ON chat_sessions(org_id, started_at, id);
CREATE INDEX chat_sessions_conversation ON chat_sessions(conversation_id, started_at);
CREATE INDEX chat_sessions_contact ON chat_sessions(contact_id, started_at);

-- Existing chats: a session per contact message that came 24 hours or more
-- after their previous one (or was their first), keyed by that message.
INSERT INTO chat_sessions (id, org_id, conversation_id, inbox_id, contact_id, phone, name, started_at, until_at)
SELECT s.id, c.org_id, c.id, c.inbox_id, c.contact_id, k.phone, k.name, s.created_at,
       LEAD(s.created_at) OVER (PARTITION BY s.conversation_id ORDER BY s.created_at, s.id)
  FROM (SELECT m.id, m.conversation_id, m.created_at,
               LAG(m.created_at) OVER (PARTITION BY m.conversation_id ORDER BY m.created_at, m.id) AS prev
          FROM messages m WHERE m.direction = 'in') s
  JOIN conversations c ON c.id = s.conversation_id
  JOIN contacts k ON k.id = c.contact_id
 WHERE s.prev IS NULL OR s.created_at >= s.prev + 86400000;

-- Every path that stores a contact's message moves `last_inbound_at` (the
-- provider's time) and `last_message_at` (the time stored, the message's
-- `created_at`); a move of the first by 24 hours or more (or the first
-- message) opens a session at the second and closes the chat's previous
-- one, so a session's messages are those stored from its opening on. The
-- id is a UUIDv7 of the opening instant.
CREATE TRIGGER chat_sessions_open AFTER UPDATE OF last_inbound_at ON chat_activity
    WHEN NEW.last_inbound_at IS NOT NULL
     AND (OLD.last_inbound_at IS NULL OR NEW.last_inbound_at >= OLD.last_inbound_at + 86400000)
BEGIN
    UPDATE chat_sessions SET until_at = NEW.last_message_at
     WHERE conversation_id = NEW.conversation_id AND until_at IS NULL;
    INSERT INTO chat_sessions (id, org_id, conversation_id, inbox_id, contact_id, phone, name, started_at)
    SELECT unhex(printf('%012x', NEW.last_message_at) || '7' || substr(hex(randomblob(2)), 2)
                 || '8' || substr(hex(randomblob(8)), 2)),
           c.org_id, c.id, c.inbox_id, c.contact_id, k.phone, k.name, NEW.last_message_at
      FROM conversations c JOIN contacts k ON k.id = c.contact_id
     WHERE c.id = NEW.conversation_id;
END;

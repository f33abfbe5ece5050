-- A contact's last interaction is the newest customer message of any of its
-- conversations: read from conversations.last_inbound_at (which every
-- inbound message already updates) instead of being written to the contact
-- row with each message as well. That second write, and the index it kept
-- current, cost every inbound message a row and an index entry; no query
-- used the index. Contacts' conversations get an index of their own, which
-- the contact page's list of chats uses as well.
-- Mirrors migrations/postgres/0008_contact_last_interaction.sql.
DROP INDEX contacts_recent;
ALTER TABLE contacts DROP COLUMN last_interaction_at;
CREATE INDEX conversations_contact ON conversations(contact_id);

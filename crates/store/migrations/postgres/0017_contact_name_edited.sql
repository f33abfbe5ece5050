-- CT-1: a contact's name comes from the channel profile only until a person
-- edits it. `name_edited` records that edit (or a name given by an agent
-- who started the chat), so the next message's profile name no longer
-- overwrites it. Mirrors migrations/sqlite/0017_contact_name_edited.sql.

ALTER TABLE contacts ADD COLUMN name_edited BOOLEAN NOT NULL DEFAULT FALSE;

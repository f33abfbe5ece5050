-- WhatsApp: statuses that arrive before their message is known, synced
-- templates, and downloaded media. Mirrors migrations/sqlite/0002_whatsapp.sql.

-- A status webhook can race the send response (channels.md §5.3): keep it
-- until the message carrying that provider id exists, then apply it.
CREATE TABLE pending_statuses (
    org_id      UUID NOT NULL REFERENCES organizations(id),
    inbox_id    UUID NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    provider_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    error_code  TEXT,
    error_text  TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (inbox_id, provider_id, status)
);

-- Message templates synced from the WhatsApp Business Account (CH-6).
CREATE TABLE templates (
    id               UUID PRIMARY KEY,
    org_id           UUID NOT NULL REFERENCES organizations(id),
    inbox_id         UUID NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    provider_id      TEXT NOT NULL,
    name             TEXT NOT NULL,
    language         TEXT NOT NULL,
    status           TEXT NOT NULL,
    category         TEXT NOT NULL,
    parameter_format TEXT,
    components       JSONB NOT NULL,      -- JSON
    updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX templates_name ON templates(inbox_id, name, language);

-- Media files of messages (CH-8), downloaded by a job and kept on disk.
CREATE TABLE media (
    id                UUID PRIMARY KEY,
    org_id            UUID NOT NULL REFERENCES organizations(id),
    message_id        UUID NOT NULL REFERENCES messages(id),
    inbox_id          UUID NOT NULL,
    provider_media_id TEXT,
    mime_type         TEXT,
    filename          TEXT,
    size              BIGINT,
    sha256            TEXT,
    path              TEXT,               -- relative to the media folder
    status            TEXT NOT NULL,      -- pending | stored | failed
    error             TEXT,
    created_at        BIGINT NOT NULL
);
CREATE INDEX media_message ON media(message_id);

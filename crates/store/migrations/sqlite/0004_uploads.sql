-- Files agents upload to send (CH-8), kept so the thread shows what was
-- sent after a reload, and so a send can check the file's type against the
-- kind it is sent as. Keyed by the provider's media id the upload returned.
-- Mirrors migrations/postgres/0004_uploads.sql.
CREATE TABLE uploads (
    inbox_id          BLOB NOT NULL,
    provider_media_id TEXT NOT NULL,
    org_id            BLOB NOT NULL REFERENCES organizations(id),
    mime_type         TEXT NOT NULL,
    filename          TEXT,
    size              BIGINT NOT NULL,
    sha256            TEXT NOT NULL,
    path              TEXT NOT NULL,   -- relative to the media folder
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (inbox_id, provider_media_id)
);

-- Generated reports (RP-1…RP-4): the request, its state and the file. A
-- ready report's download expires (expires_at); its file is then deleted.
CREATE TABLE reports (
    id              BLOB PRIMARY KEY,
    org_id          BLOB NOT NULL REFERENCES organizations(id),
    kind            TEXT NOT NULL,      -- history
    params          TEXT NOT NULL,      -- JSON: what was asked
    title           TEXT NOT NULL,      -- what the report manager lists
    status          TEXT NOT NULL,      -- processing | ready | failed
    error_code      TEXT,
    file_path       TEXT,               -- relative to the reports folder
    size            BIGINT,
    created_by      BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    expires_at      BIGINT
);
CREATE INDEX reports_org ON reports(org_id, created_at);

-- Ready responses (LC-20): categories holding short texts agents insert in
-- the composer. Organization-wide, so a manager's edit reaches every inbox.
-- Mirrors migrations/sqlite/0003_ready_responses.sql.

CREATE TABLE ready_categories (
    id         UUID PRIMARY KEY,
    org_id     UUID NOT NULL REFERENCES organizations(id),
    name       TEXT NOT NULL,          -- at most 60 characters
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ready_categories_name ON ready_categories(org_id, name);

CREATE TABLE ready_responses (
    id          UUID PRIMARY KEY,
    org_id      UUID NOT NULL REFERENCES organizations(id),
    category_id UUID NOT NULL REFERENCES ready_categories(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,         -- at most 30 characters
    text        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX ready_responses_title ON ready_responses(category_id, title);
CREATE INDEX ready_responses_org ON ready_responses(org_id, title);

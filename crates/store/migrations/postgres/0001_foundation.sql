-- Foundation schema (PostgreSQL). Mirrors migrations/sqlite/0001_foundation.sql:
-- same tables and columns; ids are UUIDs (UUID here), times are Unix epoch
-- milliseconds (BIGINT) so ordering and arithmetic agree on both backends.

-- Organizations: a reseller may own agency organizations (AD-1).
CREATE TABLE organizations (
    id          UUID PRIMARY KEY,
    parent_id   UUID REFERENCES organizations(id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,           -- reseller | agency
    support_key BYTEA NOT NULL,           -- keys the 4-hour support code (LC-17)
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX organizations_name ON organizations(name);

-- Per-organization counter of the events log. The row is updated last in every
-- writing transaction, which serialises event allocation per organization so
-- that sequences commit in order (a reader who saw N never later finds < N).
CREATE TABLE event_counters (
    org_id   UUID PRIMARY KEY REFERENCES organizations(id),
    last_seq BIGINT NOT NULL
);

-- Per-organization, per-day protocol counter (AD-6: AAAAMMDD + sequence).
CREATE TABLE protocol_counters (
    org_id   UUID NOT NULL REFERENCES organizations(id),
    day      TEXT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (org_id, day)
);

CREATE TABLE users (
    id                      UUID PRIMARY KEY,
    org_id                  UUID NOT NULL REFERENCES organizations(id),
    email                   TEXT NOT NULL,
    name                    TEXT NOT NULL,
    password_hash           TEXT NOT NULL,
    role                    TEXT NOT NULL,       -- admin | manager | agent
    permissions             JSONB NOT NULL,       -- JSON: modules + capabilities
    status                  TEXT NOT NULL,       -- online | paused | invisible (LC-19)
    default_closing_message TEXT NOT NULL,       -- AD-4
    confirm_audio           BOOLEAN NOT NULL,    -- AD-4
    active                  BOOLEAN NOT NULL,
    created_at              BIGINT NOT NULL
);
-- Login is by e-mail alone, so e-mails are unique across organizations.
CREATE UNIQUE INDEX users_email ON users(email);
CREATE INDEX users_org ON users(org_id);

-- Opaque session tokens: only the SHA-256 of the token is stored.
CREATE TABLE sessions (
    token_hash   BYTEA PRIMARY KEY,
    org_id       UUID NOT NULL REFERENCES organizations(id),
    user_id      UUID NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    org_id       UUID NOT NULL REFERENCES organizations(id),
    user_id      UUID NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens(token_hash);
CREATE INDEX api_tokens_org ON api_tokens(org_id, user_id);

CREATE TABLE departments (
    id         UUID PRIMARY KEY,
    org_id     UUID NOT NULL REFERENCES organizations(id),
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX departments_name ON departments(org_id, name);

CREATE TABLE department_members (
    org_id        UUID NOT NULL REFERENCES organizations(id),
    department_id UUID NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    user_id       UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (department_id, user_id)
);
CREATE INDEX department_members_user ON department_members(user_id);

-- One connected channel account. `settings` is shown to users; `secrets`
-- (access tokens, app secrets) is never returned by the API.
CREATE TABLE inboxes (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES organizations(id),
    name            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    external_id     TEXT,                -- e.g. WhatsApp phone_number_id
    settings        JSONB NOT NULL,       -- JSON
    secrets         JSONB NOT NULL,       -- JSON
    chatbot_enabled BOOLEAN NOT NULL,
    needs_reauth    BOOLEAN NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX inboxes_org ON inboxes(org_id);
CREATE UNIQUE INDEX inboxes_external ON inboxes(channel, external_id);

CREATE TABLE contacts (
    id                  UUID PRIMARY KEY,
    org_id              UUID NOT NULL REFERENCES organizations(id),
    name                TEXT NOT NULL,
    phone               TEXT,            -- E.164
    email               TEXT,
    document            TEXT,            -- CPF or CNPJ, digits only
    rg                  TEXT,
    birth_date          TEXT,            -- YYYY-MM-DD
    customer_code       TEXT,
    blocked             BOOLEAN NOT NULL,
    broadcast_opt_in    BOOLEAN NOT NULL,
    custom              JSONB NOT NULL,   -- JSON: custom field key -> value
    created_at          BIGINT NOT NULL,
    last_interaction_at BIGINT
);
CREATE INDEX contacts_phone ON contacts(org_id, phone);
CREATE INDEX contacts_email ON contacts(org_id, email);
CREATE INDEX contacts_document ON contacts(org_id, document);
CREATE INDEX contacts_recent ON contacts(org_id, last_interaction_at);

-- A contact's identity on one inbox (wa_id, Telegram chat id, ...).
CREATE TABLE contact_identities (
    org_id      UUID NOT NULL REFERENCES organizations(id),
    inbox_id    UUID NOT NULL REFERENCES inboxes(id),
    external_id TEXT NOT NULL,
    contact_id  UUID NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (inbox_id, external_id)
);
CREATE INDEX contact_identities_contact ON contact_identities(contact_id);

-- The continuous thread between a contact and an inbox. The current
-- attendance's assignment is copied here so the chat list is one index scan.
CREATE TABLE conversations (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES organizations(id),
    inbox_id        UUID NOT NULL REFERENCES inboxes(id),
    contact_id      UUID NOT NULL REFERENCES contacts(id),
    attendance_id   UUID,                -- open attendance, if any
    protocol        TEXT,                -- protocol of the open or last attendance
    opened_at       BIGINT,              -- when that attendance opened
    department_id   UUID REFERENCES departments(id),
    agent_id        UUID REFERENCES users(id),
    flow_running    BOOLEAN NOT NULL,
    last_message_at BIGINT NOT NULL,
    last_inbound_at BIGINT,              -- provider time of the contact's last message (CH-5)
    unread          BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX conversations_thread ON conversations(inbox_id, contact_id);
CREATE INDEX conversations_recent ON conversations(org_id, last_message_at, id);
CREATE INDEX conversations_opened ON conversations(org_id, opened_at, id);
CREATE INDEX conversations_agent ON conversations(org_id, agent_id, last_message_at);
CREATE INDEX conversations_department ON conversations(org_id, department_id, last_message_at);

-- One human-service episode with its protocol (AD-6).
CREATE TABLE attendances (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES organizations(id),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    protocol        TEXT NOT NULL,
    department_id   UUID,
    agent_id        UUID,
    opened_by       UUID,
    opened_at       BIGINT NOT NULL,
    assigned_at     BIGINT,
    first_reply_at  BIGINT,
    closed_at       BIGINT,
    closed_by       UUID,
    -- A scheduled closing (LC-11): when, whether a reply from the contact
    -- cancels it, the closing message, and who scheduled it.
    close_at            BIGINT,
    close_keep_on_reply BOOLEAN NOT NULL,
    close_message       TEXT,
    close_by            UUID
);
CREATE UNIQUE INDEX attendances_protocol ON attendances(org_id, protocol);
CREATE INDEX attendances_conversation ON attendances(conversation_id, opened_at);

CREATE TABLE messages (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES organizations(id),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    inbox_id        UUID NOT NULL,
    direction       TEXT NOT NULL,       -- in | out
    author_kind     TEXT NOT NULL,       -- contact | bot | agent | system
    author_id       UUID,
    internal        BOOLEAN NOT NULL,
    kind            TEXT NOT NULL,
    text            TEXT,
    payload         JSONB NOT NULL,       -- JSON: media, template, raw provider body...
    status          TEXT NOT NULL,       -- queued | sent | delivered | read | failed
    provider_id     TEXT,
    error_code      TEXT,
    error_text      TEXT,
    -- Client-chosen key of an API send (Idempotency-Key header): a retried
    -- request returns the first message instead of sending twice.
    client_key      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_client_key ON messages(conversation_id, client_key) WHERE client_key IS NOT NULL;
CREATE INDEX messages_conversation ON messages(conversation_id, created_at, id);
-- Dedupe of provider messages (one webhook delivered twice stores one row).
CREATE UNIQUE INDEX messages_provider ON messages(inbox_id, provider_id);

CREATE TABLE tags (
    id         UUID PRIMARY KEY,
    org_id     UUID NOT NULL REFERENCES organizations(id),
    name       TEXT NOT NULL,
    color      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags(org_id, name);

CREATE TABLE conversation_tags (
    org_id          UUID NOT NULL REFERENCES organizations(id),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    tag_id          UUID NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, tag_id)
);
CREATE INDEX conversation_tags_tag ON conversation_tags(tag_id);

-- Typed custom fields (AD-2), on contacts or attendances.
CREATE TABLE custom_fields (
    id                  UUID PRIMARY KEY,
    org_id              UUID NOT NULL REFERENCES organizations(id),
    key                 TEXT NOT NULL,
    label               TEXT NOT NULL,
    field_type          TEXT NOT NULL,
    target              TEXT NOT NULL,   -- contact | attendance
    options             JSONB NOT NULL,   -- JSON array (option fields)
    ask_at_closing      BOOLEAN NOT NULL,
    required_at_closing BOOLEAN NOT NULL,
    created_at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX custom_fields_key ON custom_fields(org_id, key);

-- Ordered change log per organization (real time, LC-13 resync).
CREATE TABLE events (
    org_id          UUID NOT NULL REFERENCES organizations(id),
    seq             BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    conversation_id UUID,
    -- Visibility of the chat when the event happened (LC-1), for filtering.
    attendance_open BOOLEAN NOT NULL,
    department_id   UUID,
    agent_id        UUID,
    payload         JSONB NOT NULL,       -- JSON
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (org_id, seq)
);

-- Durable jobs: enqueued in the business transaction, leased by workers.
CREATE TABLE jobs (
    id              UUID PRIMARY KEY,
    org_id          UUID,
    kind            TEXT NOT NULL,
    payload         JSONB NOT NULL,       -- JSON
    status          TEXT NOT NULL,       -- pending | done | dead
    run_at          BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    max_attempts    BIGINT NOT NULL,
    locked_until    BIGINT,
    lease_token     UUID,
    idempotency_key TEXT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX jobs_due ON jobs(status, run_at);
CREATE UNIQUE INDEX jobs_idempotency ON jobs(idempotency_key);

-- LGPD audit trail: exports, permission changes, logins.
CREATE TABLE audit_log (
    id         UUID PRIMARY KEY,
    org_id     UUID NOT NULL REFERENCES organizations(id),
    actor_id   UUID,
    action     TEXT NOT NULL,
    target     TEXT,
    details    JSONB NOT NULL,            -- JSON
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_id, created_at);

-- Bot flows (FL-1..FL-4), their runs, and the routing, presence, business
-- hours and out-of-hours rules around them (LC-19, LC-21, LC-22).
-- Mirrors migrations/sqlite/0012_flows.sql.

-- A flow: the draft people edit, and the version runs start from.
CREATE TABLE flows (
    id                UUID PRIMARY KEY,
    org_id            UUID NOT NULL REFERENCES organizations(id),
    name              TEXT NOT NULL,
    draft             JSONB NOT NULL,   -- the document being edited (may not validate)
    published_version BIGINT,           -- the version new runs take; NULL: never published
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX flows_name ON flows(org_id, name);

-- Every published version, kept: a run finishes on the version it began.
CREATE TABLE flow_versions (
    flow_id      UUID NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    version      BIGINT NOT NULL,
    org_id       UUID NOT NULL,
    document     JSONB NOT NULL,        -- validated; departments and agents by id
    published_by UUID,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (flow_id, version)
);

-- A run of a flow for a contact on an inbox (FL-3: kept after it ends).
CREATE TABLE flow_runs (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES organizations(id),
    flow_id         UUID NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    version         BIGINT NOT NULL,
    inbox_id        UUID NOT NULL,
    contact_id      UUID NOT NULL,
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    trigger         TEXT NOT NULL,      -- entry | forward | after_close | scheduled | jump | api
    status          TEXT NOT NULL,      -- active | finished | failed | stopped
    step            TEXT,               -- where it is, or where it stopped
    waiting         TEXT,               -- answer | time | http | script | hours | agents_online
    state           JSONB,              -- the executor's state; NULL until the first step
    steps           BIGINT NOT NULL,    -- steps taken
    input_after     BIGINT NOT NULL,    -- the contact's messages up to this one (time, id)
    input_after_id  UUID,                 -- are not answers to it
    outcome         TEXT,               -- handover | jump | end | stopped, or the error
    batch           TEXT,               -- FL-3: the batch, client and campaign it ran for
    client          TEXT,
    campaign_id     UUID,
    started_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
-- One active run per contact per inbox.
CREATE UNIQUE INDEX flow_runs_active ON flow_runs(inbox_id, contact_id) WHERE status = 'active';
CREATE INDEX flow_runs_flow ON flow_runs(org_id, flow_id, started_at);
CREATE INDEX flow_runs_conversation ON flow_runs(conversation_id, started_at);

-- The inbox's entry flow (FL-2), started by a contact's message when no
-- attendance is open and the chatbot switch is on; its business hours
-- (LC-22, JSON; NULL: always open).
ALTER TABLE inboxes ADD COLUMN entry_flow_id UUID REFERENCES flows(id);
ALTER TABLE inboxes ADD COLUMN business_hours JSONB;

-- Routing: how many chats an agent serves at once, and when they last got
-- one (ties go to the longest idle).
ALTER TABLE users ADD COLUMN max_chats BIGINT NOT NULL DEFAULT 5;
ALTER TABLE users ADD COLUMN last_assigned_at BIGINT;
-- A department's chats wait in "Chats abertos" for its members to pick
-- (manual) or are handed to its agents (auto); `sequence_cursor` is the
-- agent the "sequence" target served last.
ALTER TABLE departments ADD COLUMN distribution TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE departments ADD COLUMN sequence_cursor UUID;
-- Since when an attendance waits for an agent of its department (FIFO).
ALTER TABLE attendances ADD COLUMN queued_at BIGINT;
CREATE INDEX attendances_queue ON attendances(org_id, department_id, queued_at)
    WHERE queued_at IS NOT NULL;
CREATE INDEX attendances_agent_open ON attendances(agent_id)
    WHERE closed_at IS NULL AND agent_id IS NOT NULL;

-- An agent's absence message on an inbox (LC-19), sent to contacts whose
-- chat is theirs until turned off, naming a colleague to look for.
CREATE TABLE absences (
    org_id          UUID NOT NULL REFERENCES organizations(id),
    user_id         UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    inbox_id        UUID NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    message         TEXT NOT NULL,
    suggested_agent UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (user_id, inbox_id)
);

-- Contacts who wrote outside business hours (LC-21).
CREATE TABLE out_of_hours (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES organizations(id),
    inbox_id        UUID NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    contact_id      UUID NOT NULL REFERENCES contacts(id),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    at              BIGINT NOT NULL,
    callback        BOOLEAN,            -- asked for a callback; NULL: the flow does not offer it (N/D)
    active_sent_at  BIGINT              -- when an active message (template) was sent
);
CREATE INDEX out_of_hours_recent ON out_of_hours(org_id, at);

-- Live monitoring (RP-5) and agent presence (LC-19), issue #21. See
-- docs/monitoring.md for what every number means.
-- Mirrors migrations/sqlite/0019_monitoring.sql.

-- How a ticket ended: agent | scheduled | session_expired | customer_left.
-- Earlier closings read as an agent's when someone closed them, else as a
-- scheduled closing (the only automatic closing there was).
ALTER TABLE attendances ADD COLUMN ended TEXT;
UPDATE attendances SET ended = CASE WHEN closed_by IS NULL THEN 'scheduled' ELSE 'agent' END
 WHERE closed_at IS NOT NULL;
CREATE INDEX attendances_open ON attendances(org_id, opened_at) WHERE closed_at IS NULL;

-- Since when the contact's oldest message not yet answered by an agent
-- waits, within the open attendance (reset when one opens or closes).
ALTER TABLE chat_activity ADD COLUMN awaiting_since BIGINT;

-- Per-hour counters of an inbox, kept in the same transaction as the fact
-- they count (an hour is epoch milliseconds / 3,600,000: the
-- organization's day, Brasília's, starts at a whole hour). A snapshot sums
-- today's rows instead of reading today's tickets.
CREATE TABLE monitoring_hours (
    org_id             UUID NOT NULL REFERENCES organizations(id),
    inbox_id           UUID NOT NULL,
    hour               BIGINT NOT NULL,
    opened             BIGINT NOT NULL DEFAULT 0, -- tickets opened in the hour
    -- how the tickets opened in the hour ended ("status dos tickets hoje")
    opened_closed      BIGINT NOT NULL DEFAULT 0,
    opened_lost        BIGINT NOT NULL DEFAULT 0,
    opened_abandoned   BIGINT NOT NULL DEFAULT 0,
    -- tickets that ended in the hour, and their durations
    closed             BIGINT NOT NULL DEFAULT 0,
    lost               BIGINT NOT NULL DEFAULT 0,
    abandoned          BIGINT NOT NULL DEFAULT 0,
    duration_ms        BIGINT NOT NULL DEFAULT 0,
    -- first replies given in the hour (from the assignment)
    first_replies      BIGINT NOT NULL DEFAULT 0,
    first_reply_ms     BIGINT NOT NULL DEFAULT 0,
    first_reply_max_ms BIGINT NOT NULL DEFAULT 0,
    -- agent replies in the hour to a waiting contact
    replies            BIGINT NOT NULL DEFAULT 0,
    reply_ms           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, hour, inbox_id)
);

-- Each agent's counters of a day (the hour key of its midnight), over
-- every inbox: first replies (their waits summed) and tickets that ended
-- while theirs. At most one row per agent and day.
CREATE TABLE monitoring_agent_days (
    org_id         UUID NOT NULL REFERENCES organizations(id),
    user_id        UUID NOT NULL,
    day            BIGINT NOT NULL,
    first_replies  BIGINT NOT NULL DEFAULT 0,
    first_reply_ms BIGINT NOT NULL DEFAULT 0,
    ended          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, day, user_id)
);

-- Tags put on chats, per hour and inbox.
CREATE TABLE monitoring_tags (
    org_id   UUID NOT NULL REFERENCES organizations(id),
    inbox_id UUID NOT NULL,
    hour     BIGINT NOT NULL,
    tag_id   UUID NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (org_id, hour, inbox_id, tag_id)
);

-- Presence: the status the agent chose (users.status), why they paused,
-- since when, and when a socket of theirs was last seen. `away` is set
-- once every socket has been gone for the organization's `away_minutes`:
-- the agent counts as offline until one comes back.
ALTER TABLE users ADD COLUMN status_reason TEXT;
ALTER TABLE users ADD COLUMN status_since BIGINT;
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;
ALTER TABLE users ADD COLUMN away BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET status_since = created_at;

-- Presence history: the intervals of each agent's status as others saw it
-- (online, paused, invisible, offline); the open one has no end.
CREATE TABLE presence_intervals (
    id         UUID PRIMARY KEY,
    org_id     UUID NOT NULL REFERENCES organizations(id),
    user_id    UUID NOT NULL REFERENCES users(id),
    status     TEXT NOT NULL,
    reason     TEXT,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT
);
CREATE INDEX presence_intervals_user ON presence_intervals(user_id, started_at);
CREATE INDEX presence_intervals_org ON presence_intervals(org_id, started_at);

-- Organization settings: the pause reasons agents pick from, how long
-- without a socket makes an agent offline, and after how many hours
-- without a word from the contact an open ticket ends (0: never).
ALTER TABLE organizations ADD COLUMN pause_reasons JSONB NOT NULL DEFAULT '[]';
ALTER TABLE organizations ADD COLUMN away_minutes BIGINT NOT NULL DEFAULT 5;
ALTER TABLE organizations ADD COLUMN ticket_expiry_hours BIGINT NOT NULL DEFAULT 24;

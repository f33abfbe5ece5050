-- Campaigns (LC-2): the marketing action a chat came from. A
-- click-to-WhatsApp ad becomes one on the first message it brings (keyed on
-- the ad's source id); people create others by hand and mark chats with
-- them. A chat belongs to at most one campaign, the latest that brought it.
-- Mirrors migrations/sqlite/0005_campaigns.sql.
CREATE TABLE campaigns (
    id          UUID PRIMARY KEY,
    org_id      UUID NOT NULL REFERENCES organizations(id),
    name        TEXT NOT NULL,       -- at most 60 characters
    source      TEXT NOT NULL,       -- manual | ctwa
    external_id TEXT,                -- ctwa: the ad's referral source_id
    source_url  TEXT,                -- ctwa: the ad's or post's link
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX campaigns_name ON campaigns(org_id, name);
CREATE UNIQUE INDEX campaigns_external ON campaigns(org_id, source, external_id)
    WHERE external_id IS NOT NULL;

ALTER TABLE conversations ADD COLUMN campaign_id UUID REFERENCES campaigns(id);
CREATE INDEX conversations_campaign ON conversations(org_id, campaign_id)
    WHERE campaign_id IS NOT NULL;

-- The new permission module: people keep their role's default.
UPDATE users SET permissions = jsonb_set(permissions, '{modules,campaigns}', to_jsonb(CASE role WHEN 'agent' THEN 'view' ELSE 'view_edit' END));

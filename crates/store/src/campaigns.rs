//! Campaigns (LC-2): the marketing action a chat came from. A
//! click-to-WhatsApp ad becomes a campaign with the first message it brings;
//! people create others and mark chats with them. The chat list filters on
//! them.

use atende_domain::{CampaignId, OrgId};
use serde::Serialize;

use crate::chats::Conversation;
use crate::directory::found;
use crate::events::{ChatEvent, ConversationCampaign};
use crate::{Millis, NewEvent, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Campaign {
    pub id: CampaignId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub name: String,
    /// `manual` or `ctwa` (a click-to-WhatsApp ad).
    pub source: String,
    /// For an ad: its `source_id`.
    pub external_id: Option<String>,
    /// For an ad: the ad's or post's link.
    pub source_url: Option<String>,
    pub created_at: Millis,
    /// Chats marked with it (filled by [`Store::campaigns`]).
    #[sqlx(default)]
    pub conversations: i64,
}

/// What a click-to-WhatsApp referral names.
#[derive(Debug, Clone)]
pub struct AdReferral {
    pub source_id: String,
    pub headline: Option<String>,
    pub source_url: Option<String>,
}

const COLS: &str = "id, org_id, name, source, external_id, source_url, created_at";

/// The longest campaign name.
pub const MAX_NAME: usize = 60;

impl Store {
    /// Every campaign of the organization by name, with its chat count.
    pub async fn campaigns(&self, org: OrgId) -> Result<Vec<Campaign>> {
        let sql = "SELECT k.id, k.org_id, k.name, k.source, k.external_id, k.source_url, k.created_at, \
                   (SELECT COUNT(*) FROM conversations c WHERE c.org_id = k.org_id AND c.campaign_id = k.id) AS conversations \
                   FROM campaigns k WHERE k.org_id = $1 ORDER BY k.name";
        Ok(with_pool!(self, p => sqlx::query_as::<_, Campaign>(sql).bind(org).fetch_all(p).await?))
    }

    pub async fn campaign(&self, org: OrgId, id: CampaignId) -> Result<Campaign> {
        let sql = format!("SELECT {COLS} FROM campaigns WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, Campaign>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }
}

impl Tx {
    /// A campaign created by hand. A duplicate name is a unique violation.
    pub async fn create_campaign(&mut self, org: OrgId, name: &str) -> Result<Campaign> {
        let k = Campaign {
            id: CampaignId::new(),
            org_id: org,
            name: name.into(),
            source: "manual".into(),
            external_id: None,
            source_url: None,
            created_at: now_ms(),
            conversations: 0,
        };
        self.insert_campaign(&k).await?;
        Ok(k)
    }

    async fn insert_campaign(&mut self, k: &Campaign) -> Result<()> {
        let sql = format!("INSERT INTO campaigns ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(k.id).bind(k.org_id).bind(&k.name)
            .bind(&k.source).bind(&k.external_id).bind(&k.source_url).bind(k.created_at).execute(c).await?.rows_affected());
        Ok(())
    }

    pub async fn rename_campaign(
        &mut self,
        org: OrgId,
        id: CampaignId,
        name: &str,
    ) -> Result<Campaign> {
        let sql = format!(
            "UPDATE campaigns SET name = $3 WHERE org_id = $1 AND id = $2 RETURNING {COLS}"
        );
        with_tx!(self, c => sqlx::query_as::<_, Campaign>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).bind(name).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Deletes a campaign; its chats keep no campaign.
    pub async fn delete_campaign(&mut self, org: OrgId, id: CampaignId) -> Result<()> {
        with_tx!(self, c => sqlx::query("UPDATE conversations SET campaign_id = NULL WHERE org_id = $1 AND campaign_id = $2")
            .bind(org).bind(id).execute(c).await?.rows_affected());
        let sql = "DELETE FROM campaigns WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).execute(c).await?.rows_affected()),
        )
    }

    /// The campaign of a click-to-WhatsApp ad, created on its first chat.
    /// Named after the ad's headline (with the ad id when another campaign
    /// already has that name).
    pub async fn campaign_for_ad(&mut self, org: OrgId, ad: &AdReferral) -> Result<Campaign> {
        let sql = format!(
            "SELECT {COLS} FROM campaigns WHERE org_id = $1 AND source = 'ctwa' AND external_id = $2"
        );
        if let Some(k) = with_tx!(self, c => sqlx::query_as::<_, Campaign>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(&ad.source_id).fetch_optional(c).await?)
        {
            return Ok(k);
        }
        let headline: String = ad
            .headline
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| h.chars().take(40).collect())
            .unwrap_or_else(|| "Anúncio".into());
        let taken: i64 = with_tx!(self, c => sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE org_id = $1 AND name = $2")
            .bind(org).bind(&headline).fetch_one(c).await?);
        let name = if taken == 0 {
            headline
        } else {
            let id: String = ad.source_id.chars().take(18).collect();
            format!("{headline} · {id}")
        };
        let k = Campaign {
            id: CampaignId::new(),
            org_id: org,
            name,
            source: "ctwa".into(),
            external_id: Some(ad.source_id.clone()),
            source_url: ad.source_url.clone(),
            created_at: now_ms(),
            conversations: 0,
        };
        self.insert_campaign(&k).await?;
        Ok(k)
    }

    /// Marks (or, with None, unmarks) a chat's campaign and emits
    /// `conversation.campaign` when it changed.
    pub async fn set_conversation_campaign(
        &mut self,
        conv: &Conversation,
        campaign: Option<CampaignId>,
    ) -> Result<Conversation> {
        if conv.campaign_id == campaign {
            return Ok(conv.clone());
        }
        if let Some(k) = campaign {
            let known: i64 = with_tx!(self, c => sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE org_id = $1 AND id = $2")
                .bind(conv.org_id).bind(k).fetch_one(c).await?);
            if known == 0 {
                return Err(StoreError::Invalid("unknown campaign".into()));
            }
        }
        with_tx!(self, c => sqlx::query("UPDATE conversations SET campaign_id = $3 WHERE org_id = $1 AND id = $2")
            .bind(conv.org_id).bind(conv.id).bind(campaign).execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::ConversationCampaign(ConversationCampaign {
                conversation_id: conv.id,
                campaign_id: campaign,
            }),
        });
        Ok(Conversation {
            campaign_id: campaign,
            ..conv.clone()
        })
    }
}

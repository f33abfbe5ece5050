//! The Fluxo Ágil report (RP-3, seed 003): the contacts bot flows talked
//! to in a period, by batch, client and campaign (FL-3's run records): one
//! row per batch, contact and flow, with how many conversations the bot
//! had with them and how many messages they exchanged.

use atende_domain::{CampaignId, ContactId, FlowId, OrgId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::rows::{Arg, push};
use crate::{Millis, Result, Store, bind_args, with_pool};

/// The run of a flow that is still going ends "now" for its counts.
const RUN_END: &str = "COALESCE(r.finished_at, 9223372036854775807)";

/// What the report looks for: runs started in `[from, to]`, of a client,
/// campaign and batch when given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AgileFilter {
    pub from: Millis,
    pub to: Millis,
    pub client: Option<String>,
    pub campaign: Option<CampaignId>,
    pub batch: Option<String>,
}

impl AgileFilter {
    fn conditions(&self, args: &mut Vec<Arg>) -> String {
        let f = push(args, Arg::Int(self.from));
        let t = push(args, Arg::Int(self.to));
        let mut wh = vec![
            "r.org_id = $1".to_string(),
            format!("r.started_at >= {f} AND r.started_at <= {t}"),
        ];
        if let Some(c) = &self.client {
            wh.push(format!("r.client = {}", push(args, Arg::Text(c.clone()))));
        }
        if let Some(c) = self.campaign {
            wh.push(format!("r.campaign_id = {}", push(args, Arg::Id(c.0))));
        }
        if let Some(b) = &self.batch {
            wh.push(format!("r.batch = {}", push(args, Arg::Text(b.clone()))));
        }
        wh.join(" AND ")
    }
}

/// One row of the report: a contact's runs of one flow in one batch.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgileRow {
    pub batch: Option<String>,
    pub client: Option<String>,
    pub contact_id: ContactId,
    pub name: String,
    /// CPF or CNPJ, digits only.
    pub document: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub flow_id: FlowId,
    pub flow_name: String,
    /// Runs of the flow (conversations the bot had with the contact).
    pub conversations: i64,
    /// The contact's and the bot's messages during those runs.
    pub messages: i64,
    pub last_started_at: Millis,
}

/// The values the report's filters offer for a period.
#[derive(Debug, Clone, Default)]
pub struct AgileOptions {
    pub clients: Vec<String>,
    pub batches: Vec<String>,
    pub campaigns: Vec<(CampaignId, String)>,
}

/// A message between a contact and a bot, for the report's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgileMessage {
    pub id: Uuid,
    pub author_kind: String,
    pub kind: String,
    pub text: Option<String>,
    pub created_at: Millis,
}

impl Store {
    /// A page of the report (`offset`, `limit` up to a million: an export
    /// reads all in one go), the latest runs first, and the number of rows
    /// in all.
    pub async fn agile_rows(
        &self,
        org: OrgId,
        filter: &AgileFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<AgileRow>, i64)> {
        let mut args = vec![Arg::Id(org.0)];
        let wh = filter.conditions(&mut args);
        let count_sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM flow_runs r WHERE {wh} \
             GROUP BY r.batch, r.client, r.contact_id, r.flow_id) g"
        );
        let total: i64 = with_pool!(self, p => {
            let q = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()));
            bind_args!(q, &args).fetch_one(p).await?
        });
        let po = push(&mut args, Arg::Int(offset.max(0)));
        let pl = push(&mut args, Arg::Int(limit.clamp(1, 1_000_000)));
        // Grouped first over the runs alone, then joined to the page's
        // contacts and flows.
        let sql = format!(
            "SELECT g.batch, g.client, g.contact_id, k.name, k.document, k.phone, k.email, \
             g.flow_id, f.name AS flow_name, g.conversations, g.messages, g.last_started_at \
             FROM (SELECT r.batch, r.client, r.contact_id, r.flow_id, COUNT(*) AS conversations, \
                   CAST(SUM((SELECT COUNT(*) FROM messages m WHERE m.conversation_id = r.conversation_id \
                        AND m.created_at >= r.started_at AND m.created_at <= {RUN_END} \
                        AND m.author_kind IN ('contact', 'bot'))) AS BIGINT) AS messages, \
                   MAX(r.started_at) AS last_started_at \
                   FROM flow_runs r WHERE {wh} GROUP BY r.batch, r.client, r.contact_id, r.flow_id \
                   ORDER BY MAX(r.started_at) DESC, r.contact_id, r.flow_id LIMIT {pl} OFFSET {po}) g \
             JOIN contacts k ON k.id = g.contact_id JOIN flows f ON f.id = g.flow_id \
             ORDER BY g.last_started_at DESC, g.contact_id, g.flow_id"
        );
        let rows = with_pool!(self, p => {
            let q = sqlx::query_as::<_, AgileRow>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        Ok((rows, total))
    }

    /// The clients, batches and campaigns of the runs started in
    /// `[from, to]`, for the filters' lists.
    pub async fn agile_options(
        &self,
        org: OrgId,
        from: Millis,
        to: Millis,
    ) -> Result<AgileOptions> {
        let range = "r.org_id = $1 AND r.started_at >= $2 AND r.started_at <= $3";
        let distinct = |col: &str| {
            format!(
                "SELECT DISTINCT r.{col} FROM flow_runs r WHERE {range} AND r.{col} IS NOT NULL ORDER BY r.{col}"
            )
        };
        let (clients, batches) = (distinct("client"), distinct("batch"));
        let campaigns = format!(
            "SELECT DISTINCT c.id, c.name FROM flow_runs r JOIN campaigns c ON c.id = r.campaign_id \
             WHERE {range} ORDER BY c.name"
        );
        let clients: Vec<String> = with_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(clients.as_str()))
            .bind(org).bind(from).bind(to).fetch_all(p).await?);
        let batches: Vec<String> = with_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(batches.as_str()))
            .bind(org).bind(from).bind(to).fetch_all(p).await?);
        let campaigns: Vec<(CampaignId, String)> = with_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(campaigns.as_str()))
            .bind(org).bind(from).bind(to).fetch_all(p).await?);
        Ok(AgileOptions {
            clients,
            batches,
            campaigns,
        })
    }

    /// The messages between the contact and the bot during the runs of a
    /// row (the report's history action), in time order, at most `limit`.
    pub async fn agile_messages(
        &self,
        org: OrgId,
        filter: &AgileFilter,
        contact: ContactId,
        flow: FlowId,
        limit: i64,
    ) -> Result<Vec<AgileMessage>> {
        let mut args = vec![Arg::Id(org.0)];
        let wh = filter.conditions(&mut args);
        let pc = push(&mut args, Arg::Id(contact.0));
        let pf = push(&mut args, Arg::Id(flow.0));
        let pl = push(&mut args, Arg::Int(limit.clamp(1, 5_000)));
        let sql = format!(
            "SELECT DISTINCT m.id, m.author_kind, m.kind, m.text, m.created_at FROM flow_runs r \
             JOIN messages m ON m.conversation_id = r.conversation_id AND m.created_at >= r.started_at \
                AND m.created_at <= {RUN_END} \
             WHERE {wh} AND r.contact_id = {pc} AND r.flow_id = {pf} AND m.author_kind IN ('contact', 'bot') \
             ORDER BY m.created_at, m.id LIMIT {pl}"
        );
        Ok(with_pool!(self, p => {
            let q = sqlx::query_as::<_, AgileMessage>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        }))
    }
}

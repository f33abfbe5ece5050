//! A flow's runs (FL-3): one row per run of a flow for a contact on an
//! inbox, where it is and what it waits for, and the contact's messages
//! it takes as answers.

use atende_domain::{
    CampaignId, ContactId, ConversationId, FlowId, FlowRunId, InboxId, MessageId, OrgId,
};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;

use crate::chats::{Conversation, Message};
use crate::directory::found;
use crate::events::{ChatEvent, ConversationFlow};
use crate::{Millis, NewEvent, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// How a run came to be (FL-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The contact wrote with no attendance open: the inbox's entry flow.
    Entry,
    /// An agent forwarded the chat to the flow (LC-10).
    Forward,
    /// The flow chosen to run after an attendance closed (LC-11).
    AfterClose,
    /// A scheduled start.
    Scheduled,
    /// Another flow jumped to it.
    Jump,
    /// Started through the API.
    Api,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Entry => "entry",
            Trigger::Forward => "forward",
            Trigger::AfterClose => "after_close",
            Trigger::Scheduled => "scheduled",
            Trigger::Jump => "jump",
            Trigger::Api => "api",
        }
    }
}

/// A run of a flow (FL-3).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FlowRun {
    pub id: FlowRunId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub flow_id: FlowId,
    pub version: i64,
    pub inbox_id: InboxId,
    pub contact_id: ContactId,
    pub conversation_id: ConversationId,
    /// entry | forward | after_close | scheduled | jump | api
    pub trigger: String,
    /// active | finished | failed | stopped
    pub status: String,
    /// The step it is at, or stopped at.
    pub step: Option<String>,
    /// What it waits for: answer | time | http | script | hours | agents_online.
    pub waiting: Option<String>,
    /// The executor's state; none before the first step.
    pub state: Option<Json<Value>>,
    /// Steps taken.
    pub steps: i64,
    /// The contact's messages up to this one (time, then id) are not
    /// answers to it: those it took, and those written while it was not
    /// waiting for the contact.
    pub input_after: Millis,
    pub input_after_id: Option<MessageId>,
    /// How it ended: handover | jump | end | stopped, or the error.
    pub outcome: Option<String>,
    pub batch: Option<String>,
    pub client: Option<String>,
    pub campaign_id: Option<CampaignId>,
    pub started_at: Millis,
    pub updated_at: Millis,
    pub finished_at: Option<Millis>,
}

/// A run as the runs list shows it: with its contact's name and number.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedRun {
    #[sqlx(flatten)]
    pub run: FlowRun,
    pub contact_name: String,
    pub contact_phone: Option<String>,
}

impl FlowRun {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// A run to start.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub flow_id: FlowId,
    pub version: i64,
    pub conversation: Conversation,
    pub trigger: Trigger,
    pub batch: Option<String>,
    pub client: Option<String>,
    /// The message that started the run (not an answer to it), if any.
    pub input_after: Option<(Millis, MessageId)>,
}

/// Runs of a version by the step they are at or stopped at (the editor
/// shows it on each step).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StepCount {
    pub step: String,
    pub status: String,
    pub runs: i64,
}

/// A flow's runs in numbers.
#[derive(Debug, Clone, Copy, Serialize, sqlx::FromRow)]
pub struct RunTotals {
    pub runs: i64,
    pub active: i64,
    /// Failed or stopped.
    pub unfinished: i64,
    pub steps: i64,
}

const RUN_COLS: &str = "id, org_id, flow_id, version, inbox_id, contact_id, conversation_id, trigger, status, step, \
     waiting, state, steps, input_after, input_after_id, outcome, batch, client, campaign_id, started_at, updated_at, finished_at";

impl Store {
    pub async fn flow_run(&self, org: OrgId, id: FlowRunId) -> Result<FlowRun> {
        let sql = format!("SELECT {RUN_COLS} FROM flow_runs WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, FlowRun>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Runs of a flow, newest first, optionally only those in `status`,
    /// started before `before` (paging).
    pub async fn flow_runs(
        &self,
        org: OrgId,
        flow: FlowId,
        status: Option<&str>,
        before: Option<Millis>,
        limit: i64,
    ) -> Result<Vec<ListedRun>> {
        let sql = format!(
            "SELECT r.*, k.name AS contact_name, k.phone AS contact_phone FROM \
             (SELECT {RUN_COLS} FROM flow_runs WHERE org_id = $1 AND flow_id = $2 \
             AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR started_at < $4) \
             ORDER BY started_at DESC, id DESC LIMIT $5) r \
             JOIN contacts k ON k.id = r.contact_id ORDER BY r.started_at DESC, r.id DESC"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, ListedRun>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(flow)
                .bind(status).bind(before).bind(limit).fetch_all(p).await?),
        )
    }

    /// How many runs a flow has, how many are active and did not finish
    /// well (failed or stopped), and the steps they took.
    pub async fn flow_run_totals(&self, org: OrgId, flow: FlowId) -> Result<RunTotals> {
        let sql = "SELECT COUNT(*) AS runs, \
                   COALESCE(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), 0) AS active, \
                   COALESCE(SUM(CASE WHEN status IN ('failed', 'stopped') THEN 1 ELSE 0 END), 0) AS unfinished, \
                   CAST(COALESCE(SUM(steps), 0) AS BIGINT) AS steps FROM flow_runs WHERE org_id = $1 AND flow_id = $2";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, RunTotals>(sql).bind(org).bind(flow).fetch_one(p).await?),
        )
    }

    /// The runs of a conversation, newest first.
    pub async fn conversation_runs(
        &self,
        org: OrgId,
        conv: ConversationId,
        limit: i64,
    ) -> Result<Vec<FlowRun>> {
        let sql = format!(
            "SELECT {RUN_COLS} FROM flow_runs WHERE org_id = $1 AND conversation_id = $2 \
             ORDER BY started_at DESC, id DESC LIMIT $3"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, FlowRun>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(conv)
                .bind(limit).fetch_all(p).await?),
        )
    }

    /// Where the runs of a version are (active) or stopped (ended), by step.
    pub async fn flow_step_counts(
        &self,
        org: OrgId,
        flow: FlowId,
        version: i64,
    ) -> Result<Vec<StepCount>> {
        let sql = "SELECT step, status, COUNT(*) AS runs FROM flow_runs \
                   WHERE org_id = $1 AND flow_id = $2 AND version = $3 AND step IS NOT NULL \
                   GROUP BY step, status ORDER BY step, status";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, StepCount>(sql).bind(org).bind(flow).bind(version).fetch_all(p).await?),
        )
    }
}

impl Tx {
    /// The active run of a contact on an inbox, locked until commit on
    /// PostgreSQL (SQLite has a single writer).
    pub async fn active_run(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        contact: ContactId,
    ) -> Result<Option<FlowRun>> {
        let lock = self.lock_suffix(" FOR UPDATE");
        let sql = format!(
            "SELECT {RUN_COLS} FROM flow_runs WHERE inbox_id = $1 AND contact_id = $2 AND status = 'active' AND org_id = $3{lock}"
        );
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, FlowRun>(sqlx::AssertSqlSafe(sql.as_str())).bind(inbox).bind(contact).bind(org).fetch_optional(c).await?),
        )
    }

    /// Reads a run, locked until commit on PostgreSQL.
    pub async fn flow_run(&mut self, org: OrgId, id: FlowRunId) -> Result<FlowRun> {
        let lock = self.lock_suffix(" FOR UPDATE");
        let sql = format!("SELECT {RUN_COLS} FROM flow_runs WHERE org_id = $1 AND id = $2{lock}");
        with_tx!(self, c => sqlx::query_as::<_, FlowRun>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Starts a run, before its first step (the run job takes it from
    /// there), and marks the chat as running a flow (LC-7). A contact with
    /// an active run on the inbox already is a conflict.
    pub async fn start_run(&mut self, new: NewRun) -> Result<FlowRun> {
        let conv = &new.conversation;
        let now = now_ms();
        let run = FlowRun {
            id: FlowRunId::new(),
            org_id: conv.org_id,
            flow_id: new.flow_id,
            version: new.version,
            inbox_id: conv.inbox_id,
            contact_id: conv.contact_id,
            conversation_id: conv.id,
            trigger: new.trigger.as_str().to_string(),
            status: "active".into(),
            step: None,
            waiting: None,
            state: None,
            steps: 0,
            input_after: new.input_after.map_or(0, |(at, _)| at),
            input_after_id: new.input_after.map(|(_, id)| id),
            outcome: None,
            batch: new.batch,
            client: new.client,
            campaign_id: conv.campaign_id,
            started_at: now,
            updated_at: now,
            finished_at: None,
        };
        let sql = format!(
            "INSERT INTO flow_runs ({RUN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(run.id).bind(run.org_id).bind(run.flow_id)
            .bind(run.version).bind(run.inbox_id).bind(run.contact_id).bind(run.conversation_id).bind(&run.trigger)
            .bind(&run.status).bind(&run.step).bind(&run.waiting).bind(&run.state).bind(run.steps).bind(run.input_after)
            .bind(run.input_after_id).bind(&run.outcome).bind(&run.batch).bind(&run.client).bind(run.campaign_id).bind(run.started_at)
            .bind(run.updated_at).bind(run.finished_at).execute(c).await?.rows_affected());
        self.set_flow_running(conv, true).await?;
        Ok(run)
    }

    /// Stores where a run is; an ended run (status other than `active`)
    /// clears the chat's running-flow mark.
    pub async fn save_run(&mut self, run: &FlowRun) -> Result<()> {
        let sql = "UPDATE flow_runs SET status = $3, step = $4, waiting = $5, state = $6, steps = $7, input_after = $8, \
                   input_after_id = $9, outcome = $10, updated_at = $11, finished_at = $12 WHERE org_id = $1 AND id = $2";
        let n = with_tx!(self, c => sqlx::query(sql).bind(run.org_id).bind(run.id).bind(&run.status).bind(&run.step)
            .bind(&run.waiting).bind(&run.state).bind(run.steps).bind(run.input_after).bind(run.input_after_id)
            .bind(&run.outcome).bind(now_ms()).bind(run.finished_at).execute(c).await?.rows_affected());
        found(n)?;
        if !run.is_active() {
            let conv = self.conversation(run.org_id, run.conversation_id).await?;
            self.set_flow_running(&conv, false).await?;
        }
        Ok(())
    }

    /// Sets the chat's "automation running" mark (LC-7) and tells its
    /// audience, when it changes.
    pub async fn set_flow_running(&mut self, conv: &Conversation, running: bool) -> Result<()> {
        if conv.flow_running == running {
            return Ok(());
        }
        let sql = "UPDATE conversations SET flow_running = $3 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(conv.id).bind(running).execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::ConversationFlow(ConversationFlow {
                conversation_id: conv.id,
                flow_running: running,
            }),
        });
        Ok(())
    }

    /// The contact's newest message in a conversation (time and id): a run
    /// that starts waiting for the contact takes only messages after it.
    pub async fn last_contact_message(
        &mut self,
        org: OrgId,
        conv: ConversationId,
    ) -> Result<Option<(Millis, MessageId)>> {
        let sql = "SELECT created_at, id FROM messages WHERE org_id = $1 AND conversation_id = $2 \
                   AND direction = 'in' AND author_kind = 'contact' ORDER BY created_at DESC, id DESC LIMIT 1";
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, (Millis, MessageId)>(sql).bind(org).bind(conv).fetch_optional(c).await?),
        )
    }

    /// The contact's oldest message a run has not taken yet: after
    /// `input_after` (time, then id).
    pub async fn next_answer(&mut self, run: &FlowRun) -> Result<Option<Message>> {
        let sql = format!(
            "SELECT {} FROM messages WHERE org_id = $1 AND conversation_id = $2 AND direction = 'in' \
             AND author_kind = 'contact' AND (created_at > $3 OR (created_at = $3 AND ($4 IS NULL OR id > $4))) \
             ORDER BY created_at, id LIMIT 1",
            crate::chats::MSG_COLS
        );
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(run.org_id)
            .bind(run.conversation_id).bind(run.input_after).bind(run.input_after_id).fetch_optional(c).await?),
        )
    }

    /// The latest menu (an interactive message) sent in a run's chat before
    /// `before` (epoch ms): what a number the contact typed answers.
    pub async fn last_menu(&mut self, run: &FlowRun, before: Millis) -> Result<Option<Message>> {
        let sql = format!(
            "SELECT {} FROM messages WHERE org_id = $1 AND conversation_id = $2 AND direction = 'out' \
             AND kind = 'interactive' AND internal = FALSE AND created_at <= $3 ORDER BY created_at DESC, id DESC LIMIT 1",
            crate::chats::MSG_COLS
        );
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(run.org_id)
            .bind(run.conversation_id).bind(before).fetch_optional(c).await?),
        )
    }
}

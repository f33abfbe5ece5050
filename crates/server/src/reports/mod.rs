//! Generating reports (RP-1): the full conversation history of a contact,
//! rendered to PDF by a job, kept under the data dir until its download
//! expires. The texts shown to users are the product's, word for word.

use std::path::PathBuf;
use std::time::Duration;

use atende_store::events::{ChatEvent, ReportUpdated};
use atende_store::reports::Report;
use atende_store::{Job, Millis, NewJob, StoreError};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::json;

use crate::jobs::{Outcome, kinds};
use crate::state::AppState;

pub mod agile;
mod history_pdf;
pub mod sessions;

use history_pdf::{HistoryParams, render};

/// The messages of seed 000, word for word.
pub mod messages {
    pub const PROCESSING: &str = "O histórico está sendo processado e em breve estará disponível";
    pub const READY: &str = "Baixar histórico completo do contato";
    pub const EXPIRED: &str =
        "O histórico completo da conversa expirou. Gere novamente para obter os dados";
    pub const CONTACT_NOT_FOUND: &str = "O contato não foi encontrado no período";
    pub const TOO_MANY_RESULTS: &str = "Resultados em excesso. Por favor, refine sua busca para uma identificação mais exata do contato";
    pub const NO_CONTACT_FOUND: &str =
        "Nenhum contato foi encontrado. Confira os filtros aplicados e tente novamente";
    pub const NO_CONVERSATION_FOUND: &str =
        "Nenhuma conversa foi encontrada. Confira os filtros aplicados e tente novamente";
    pub const PROCESSING_TIMEOUT: &str = "Tempo máximo de processamento excedido";
    pub const PROCESSING_ERROR: &str = "Ocorreu um erro durante o processamento";
    /// A ticket's PDF (RP-4).
    pub const TICKET_PROCESSING: &str = "O PDF do atendimento está sendo gerado";
    pub const TICKET_READY: &str = "Baixar PDF do atendimento";
    pub const TICKET_EXPIRED: &str =
        "O PDF do atendimento expirou. Gere novamente para obter os dados";
    /// A session's PDF (RP-2's conversation view).
    pub const SESSION_PROCESSING: &str = "O PDF da sessão está sendo gerado";
    pub const SESSION_READY: &str = "Baixar PDF da sessão";
    pub const SESSION_EXPIRED: &str = "O PDF da sessão expirou. Gere novamente para obter os dados";
    /// A spreadsheet export (RP-2, RP-3).
    pub const EXPORT_PROCESSING: &str = "A planilha está sendo gerada e em breve estará disponível";
    pub const EXPORT_READY: &str = "Baixar planilha";
    pub const EXPORT_EXPIRED: &str = "A planilha expirou. Gere novamente para obter os dados";

    /// What the report manager says of a report of `kind` in `status`
    /// (processing, ready, expired; a failure says its error).
    pub fn of_status(kind: &str, status: &str, error: Option<&str>) -> &'static str {
        let texts = match kind {
            "ticket" => [TICKET_PROCESSING, TICKET_READY, TICKET_EXPIRED],
            "session" => [SESSION_PROCESSING, SESSION_READY, SESSION_EXPIRED],
            "conversations" | "agile" => [EXPORT_PROCESSING, EXPORT_READY, EXPORT_EXPIRED],
            _ => [PROCESSING, READY, EXPIRED],
        };
        match status {
            "processing" => texts[0],
            "ready" => texts[1],
            "expired" => texts[2],
            _ => of_error(error),
        }
    }

    /// The message of a failed report's error code.
    pub fn of_error(code: Option<&str>) -> &'static str {
        match code {
            Some("processing_timeout") => PROCESSING_TIMEOUT,
            Some("no_conversation_found") => NO_CONVERSATION_FOUND,
            _ => PROCESSING_ERROR,
        }
    }
}

/// A generic term returns at most this many contacts to choose from.
pub const MAX_CANDIDATES: usize = 5;
/// How long a generated history can be downloaded.
pub const DOWNLOAD_TTL_MS: i64 = 24 * 3_600_000;
/// How long the media links inside a history stay valid (seed 000: 72 h).
pub const MEDIA_LINK_TTL_MS: i64 = 72 * 3_600_000;
/// The ticket history covers the last 3 months (RP-4).
pub const TICKETS_WINDOW_MS: i64 = 92 * 24 * 3_600_000;
/// The longest a history may take to render.
pub const MAX_PROCESSING: Duration = Duration::from_secs(120);
/// Dates without a time are read, and times shown, in Brasília time.
pub const TIME_ZONE: Tz = chrono_tz::America::Sao_Paulo;

/// A report's period, in milliseconds since the epoch, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Millis,
    pub to: Millis,
}

impl Period {
    /// Reads `from` and `to`: dates (`2026-03-01`: the whole day in
    /// Brasília time) or RFC 3339 instants.
    pub fn parse(from: &str, to: &str) -> Result<Period, String> {
        let from = instant(from, false).ok_or("Data inicial inválida: use AAAA-MM-DD.")?;
        let to = instant(to, true).ok_or("Data final inválida: use AAAA-MM-DD.")?;
        if from > to {
            return Err("O período é inválido: a data inicial é posterior à final.".into());
        }
        Ok(Period { from, to })
    }

    /// "01/03/2026 a 31/03/2026".
    pub fn describe(&self) -> String {
        format!("{} a {}", day(self.from), day(self.to))
    }
}

fn instant(s: &str, end: bool) -> Option<Millis> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = if end {
            NaiveTime::from_hms_milli_opt(23, 59, 59, 999)?
        } else {
            NaiveTime::MIN
        };
        let local = TIME_ZONE.from_local_datetime(&d.and_time(t));
        let at = if end {
            local.latest()
        } else {
            local.earliest()
        }?;
        return Some(at.timestamp_millis());
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.timestamp_millis())
}

pub(crate) fn local(ms: Millis) -> DateTime<Tz> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or_default()
        .with_timezone(&TIME_ZONE)
}

fn day(ms: Millis) -> String {
    local(ms).format("%d/%m/%Y").to_string()
}

/// "05/03/2026 14:02".
pub fn moment(ms: Millis) -> String {
    local(ms).format("%d/%m/%Y %H:%M").to_string()
}

pub fn reports_dir(st: &AppState) -> PathBuf {
    st.config.data_dir.join("reports")
}

/// The file name a download suggests: ASCII only.
pub fn file_name(r: &Report) -> String {
    if let Some(protocol) = r.params.0["protocol"].as_str() {
        let digits: String = protocol.chars().filter(char::is_ascii_digit).collect();
        return format!("atendimento-{digits}.pdf");
    }
    let day = local(r.created_at).format("%Y-%m-%d");
    let ext = r
        .file_path
        .as_deref()
        .and_then(|p| p.rsplit_once('.'))
        .map_or("pdf", |(_, e)| e);
    let stem = match r.kind.as_str() {
        "conversations" => "conversas",
        "agile" => "fluxo-agil",
        "session" => "sessao",
        _ => "historico",
    };
    format!("{stem}-{day}-{}.{ext}", &r.id.simple().to_string()[..8])
}

/// The job that renders a history report.
pub fn history_job(r: &Report) -> NewJob {
    NewJob {
        idempotency_key: Some(format!("report:{}", r.id)),
        ..NewJob::now(
            Some(r.org_id),
            kinds::REPORT_HISTORY,
            json!({"report_id": r.id}),
        )
    }
}

#[derive(Deserialize)]
struct JobPayload {
    report_id: uuid::Uuid,
}

/// What an export (RP-2, RP-3) covers and its file format.
#[derive(Deserialize)]
struct ExportParams<F> {
    filter: F,
    format: ExportFormat,
}

/// An export's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// The content type of a report file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("csv") => "text/csv; charset=utf-8",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/pdf",
    }
}

/// A report's file and its extension; None when there was nothing to put
/// in it (a history whose period holds no message any more).
type Produced = Option<(Vec<u8>, &'static str)>;

/// Makes a report's file, by its kind.
async fn produce(st: &AppState, report: &Report) -> Result<Produced, String> {
    let bad = |e: serde_json::Error| format!("unreadable report parameters: {e}");
    match report.kind.as_str() {
        "conversations" => {
            let p: ExportParams<atende_store::chat_sessions::ChatSessionFilter> =
                serde_json::from_value(report.params.0.clone()).map_err(bad)?;
            let table = sessions::table(st, report.org_id, &p.filter)
                .await
                .map_err(|e| e.to_string())?;
            spreadsheet(table, p.format).await.map(Some)
        }
        "agile" => {
            let p: ExportParams<atende_store::agile::AgileFilter> =
                serde_json::from_value(report.params.0.clone()).map_err(bad)?;
            let table = agile::table(st, report.org_id, &p.filter)
                .await
                .map_err(|e| e.to_string())?;
            spreadsheet(table, p.format).await.map(Some)
        }
        _ => {
            let p: HistoryParams = serde_json::from_value(report.params.0.clone()).map_err(bad)?;
            Ok(render(st, report, &p).await?.map(|b| (b, "pdf")))
        }
    }
}

/// Writes a table as the format asks, on a blocking thread.
async fn spreadsheet(
    table: atende_sheets::Table,
    format: ExportFormat,
) -> Result<(Vec<u8>, &'static str), String> {
    let bytes = tokio::task::spawn_blocking(move || match format {
        ExportFormat::Csv => table.to_csv(),
        ExportFormat::Xlsx => table.to_xlsx(),
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    Ok((bytes, format.extension()))
}

/// The `report_history` job, which makes every kind of report: reads what
/// the report covers, renders it and keeps the file. A failure is the
/// report's (shown to the user), not a retry: a render that broke once
/// would break again.
pub async fn history(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<JobPayload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed report_history payload".into()));
    };
    let report = st.store.report(org, p.report_id).await?;
    if report.status != "processing" {
        return finish(st, job, None).await;
    }
    let started = std::time::Instant::now();
    let outcome = match tokio::time::timeout(MAX_PROCESSING, produce(st, &report)).await {
        Ok(Ok(Some(file))) => Ok(file),
        Ok(Ok(None)) => Err("no_conversation_found"),
        Ok(Err(e)) => {
            tracing::warn!(report = %report.id, error = %e, "report failed");
            Err("processing_error")
        }
        Err(_) => {
            tracing::warn!(report = %report.id, secs = started.elapsed().as_secs(), "report took too long");
            Err("processing_timeout")
        }
    };
    match outcome {
        Ok((bytes, ext)) => {
            let dir = reports_dir(st).join(org.to_string());
            let rel = format!("{org}/{}.{ext}", report.id);
            let written = async {
                tokio::fs::create_dir_all(&dir).await?;
                tokio::fs::write(reports_dir(st).join(&rel), &bytes).await
            }
            .await;
            if let Err(e) = written {
                tracing::warn!(report = %report.id, error = %e, "writing the report failed");
                return finish(st, job, Some((&report, Err("processing_error")))).await;
            }
            let size = bytes.len() as i64;
            finish(st, job, Some((&report, Ok((rel.as_str(), size))))).await
        }
        Err(code) => finish(st, job, Some((&report, Err(code)))).await,
    }
}

type Finished<'a> = (&'a Report, Result<(&'a str, i64), &'static str>);

async fn finish(
    st: &AppState,
    job: &Job,
    done: Option<Finished<'_>>,
) -> Result<Outcome, StoreError> {
    let mut tx = st.store.begin().await?;
    if let Some((r, result)) = done {
        match result {
            Ok((path, size)) => {
                let expires = atende_store::now_ms() + DOWNLOAD_TTL_MS;
                tx.report_ready(r, path, size, expires).await?;
                tx.enqueue(NewJob {
                    run_at: expires,
                    idempotency_key: Some(format!("report-expire:{}", r.id)),
                    ..NewJob::now(
                        Some(r.org_id),
                        kinds::REPORT_EXPIRE,
                        json!({"report_id": r.id}),
                    )
                })
                .await?;
            }
            Err(code) => tx.report_failed(r, code).await?,
        }
        // The report manager follows the report's state.
        tx.emit(atende_store::NewEvent::org(
            r.org_id,
            ChatEvent::ReportUpdated(ReportUpdated {
                report_id: r.id,
                status: if result.is_ok() { "ready" } else { "failed" }.to_string(),
            }),
        ));
    }
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}

/// The `report_expire` job, due when a report's download expires: its file
/// is deleted (the record stays, listed as expired).
pub async fn expire(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<JobPayload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed report_expire payload".into()));
    };
    let r = match st.store.report(org, p.report_id).await {
        Ok(r) => Some(r),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let mut tx = st.store.begin().await?;
    if let Some(r) = r.filter(|r| r.expired(atende_store::now_ms()))
        && let Some(path) = &r.file_path
    {
        match tokio::fs::remove_file(reports_dir(st).join(path)).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Ok(Outcome::Retry(format!("deleting the report file: {e}"))),
        }
        tx.report_file_removed(&r).await?;
    }
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}

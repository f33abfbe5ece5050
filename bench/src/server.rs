//! The server under test: the release `atende serve` binary in its own
//! process, on a free port, its log drained to this program's stderr.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};

/// `atende serve` as a child process, killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_server(
    bin: &PathBuf,
    database_url: &str,
    dir: &std::path::Path,
    log: &str,
    env: &[(&str, String)],
) -> anyhow::Result<Server> {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(bin)
        .arg("serve")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(dir)
        .env("ATENDE_DATABASE_URL", database_url)
        .env("ATENDE_LISTEN", "127.0.0.1:0")
        .env("ATENDE_LOG", format!("{log},atende_server::app=info"))
        .env("ATENDE_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let stderr = child.stderr.take().context("server stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let Some(line) = lines.next() else {
            bail!("the server exited before announcing its address");
        };
        let line = line?;
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if v["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("listening"))
            && let Some(a) = v["fields"]["addr"].as_str()
        {
            break a.to_string();
        }
    };
    // Keep draining the pipe so the server never blocks on logging.
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            eprintln!("{line}");
        }
    });
    eprintln!("server pid {} on {addr}", child.id());
    Ok(Server { child, addr })
}

/// The server binary: `--server`, else `atende` next to this program.
pub fn server_bin(given: Option<&PathBuf>) -> anyhow::Result<PathBuf> {
    Ok(match given {
        Some(b) => b.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("bench binary folder")?
            .join("atende"),
    })
}

/// A bench organization with one WhatsApp inbox on `phone_id` (WABA
/// `waba`, token `token`, app secret `secret`).
pub async fn bench_inbox(
    store: &atende_store::Store,
    phone_id: &str,
    waba: &str,
    token: &str,
    secret: &str,
    chatbot: bool,
) -> anyhow::Result<(atende_domain::OrgId, atende_store::directory::Inbox)> {
    let org = bench_org(store).await?;
    let mut tx = store.begin().await?;
    let inbox = tx
        .create_inbox(atende_store::directory::NewInbox {
            org_id: org,
            name: "WA".into(),
            channel: "whatsapp".into(),
            external_id: Some(phone_id.into()),
            settings: serde_json::json!({"phone_number_id": phone_id, "waba_id": waba}),
            secrets: serde_json::json!({"access_token": token, "app_secret": secret, "verify_token": "v"}),
            chatbot_enabled: chatbot,
        })
        .await?;
    tx.commit().await?;
    Ok((org, inbox))
}

/// The bench organization with one Telegram inbox (no webhook set: the
/// load generator posts with its secret).
pub async fn bench_telegram_inbox(
    store: &atende_store::Store,
    bot_id: i64,
    token: &str,
    secret: &str,
) -> anyhow::Result<(atende_domain::OrgId, atende_store::directory::Inbox)> {
    let org = bench_org(store).await?;
    let mut tx = store.begin().await?;
    let inbox = tx
        .create_inbox(atende_store::directory::NewInbox {
            org_id: org,
            name: "Telegram".into(),
            channel: "telegram".into(),
            external_id: Some(bot_id.to_string()),
            settings: serde_json::json!({"bot_id": bot_id.to_string()}),
            secrets: serde_json::json!({"bot_token": token, "secret_token": secret}),
            chatbot_enabled: false,
        })
        .await?;
    tx.commit().await?;
    Ok((org, inbox))
}

/// The bench organization.
async fn bench_org(store: &atende_store::Store) -> anyhow::Result<atende_domain::OrgId> {
    let b = atende_server::bootstrap::bootstrap(
        store,
        "Bench",
        "bench@example.com",
        "bench-password",
        false,
    )
    .await?;
    Ok(b.org_id.parse()?)
}

/// The bench organization with one Messenger inbox.
pub async fn bench_meta_inbox(
    store: &atende_store::Store,
    page_id: &str,
    secret: &str,
) -> anyhow::Result<(atende_domain::OrgId, atende_store::directory::Inbox)> {
    let org = bench_org(store).await?;
    let mut tx = store.begin().await?;
    let inbox = tx
        .create_inbox(atende_store::directory::NewInbox {
            org_id: org,
            name: "Messenger".into(),
            channel: "messenger".into(),
            external_id: Some(page_id.into()),
            settings: serde_json::json!({"page_id": page_id}),
            secrets: serde_json::json!({"access_token": "t", "app_secret": secret, "verify_token": "v"}),
            chatbot_enabled: false,
        })
        .await?;
    tx.commit().await?;
    Ok((org, inbox))
}

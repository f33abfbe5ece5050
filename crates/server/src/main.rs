//! The `atende` command line.

use std::path::PathBuf;

use atende_server::{Application, Config, bootstrap, telemetry};
use atende_store::{Store, StoreOptions};
use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: the ingest's allocations
/// (webhook JSON, rows, events) are made in the HTTP handlers and freed in
/// the writers, which glibc's per-thread arenas handle slowly (allocation
/// was ~25 % of the server's CPU at 15k msg/s). Without transparent huge
/// pages (`no_thp`) it keeps idle RSS at ~27 MB (glibc: 22 MB); see
/// bench/RESULTS.md.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "atende",
    version,
    about = "Atende: customer service on WhatsApp (Cloud API) with bot flows, live chat and reports."
)]
struct Cli {
    /// Configuration file (default: ./atende.toml when present). Every key
    /// can also be set as an ATENDE_<KEY> environment variable.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the server: HTTP API, webhooks, WebSocket and job workers.
    Serve,
    /// Runs the server with a demo organization, a fake WhatsApp number
    /// (served in-process) and simulated customers writing in Portuguese.
    Demo {
        /// Customer messages per minute.
        #[arg(long, default_value_t = 6.0)]
        rate: f64,
    },
    /// Applies pending database migrations and exits.
    Migrate,
    /// Prints the HTTP API's OpenAPI document (JSON) and exits; the web app
    /// generates its typed client from it (`make api-types`).
    Openapi,
    /// Creates the first organization and its administrator (idempotent);
    /// prints {"org_id":…,"user_id":…} as JSON.
    Bootstrap {
        /// Organization name.
        #[arg(long)]
        org: String,
        /// Administrator e-mail (the login).
        #[arg(long)]
        email: String,
        /// Administrator password (at least 8 characters).
        #[arg(long)]
        password: String,
        /// Make the organization a reseller, able to own agencies.
        #[arg(long)]
        reseller: bool,
    },
    /// Bot flows: import a JSON document, export one (docs/flows.md).
    Flow {
        #[command(subcommand)]
        command: FlowCommand,
    },
}

#[derive(Subcommand)]
enum FlowCommand {
    /// Imports a flow document and publishes it: a new flow, or the next
    /// version of the organization's flow with the same name. Departments
    /// are named by name or id, agents by e-mail or id. A document with
    /// problems changes nothing: each problem is printed with its step.
    Import {
        /// An inbox of the organization to import into.
        #[arg(long)]
        inbox: atende_domain::InboxId,
        /// Also make it the inbox's entry flow (started by a contact's
        /// message when no attendance is open).
        #[arg(long)]
        entry: bool,
        /// The JSON document (`-` reads standard input).
        file: PathBuf,
    },
    /// Prints a flow as a JSON document to import elsewhere: departments by
    /// name, agents by e-mail.
    Export {
        /// The flow's id.
        flow: atende_domain::FlowId,
        /// A published version (default: the draft).
        #[arg(long)]
        version: Option<i64>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config =
        Config::load(cli.config.as_deref()).map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
    telemetry::init(&config);
    for var in Config::unknown_env() {
        tracing::warn!(variable = %var, "unknown ATENDE_* variable ignored (typo?)");
    }
    match cli.command {
        Command::Serve => {
            telemetry::ensure_secret_key(&mut config)?;
            let app = Application::build(config).await?;
            app.run_until_stopped().await
        }
        Command::Demo { rate } => {
            telemetry::ensure_secret_key(&mut config)?;
            // The demo's address first: its fakes then take other ports.
            let listener = Application::bind(&config).await?;
            let graph = atende_server::demo::fake_graph().await;
            config.whatsapp_graph_url = graph.base_url();
            config.whatsapp_api_version = graph.version();
            let telegram = atende_server::demo::fake_telegram().await;
            config.telegram_api_url = telegram.base_url();
            let app = Application::build_on(config, listener).await?;
            let store = &app.state().store;
            let bot_inbox = atende_server::demo::seed(store).await?;
            let url = app.state().config.public_url.clone();
            let local = format!("http://127.0.0.1:{}", app.port());
            // The shop's site, on another origin, embeds the widget.
            let (site_listener, site) = atende_server::demo::widget::bind_site(app.port()).await?;
            let org = store
                .org_by_name(atende_server::demo::DEMO_ORG)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the demo organization"))?;
            let widget_inbox =
                atende_server::demo::widget::widget_inbox(store, org.id, &site).await?;
            app.state().channels.forget_routes().await;
            tokio::spawn(atende_server::demo::widget::serve_site(
                site_listener,
                url.trim_end_matches('/').to_string(),
                widget_inbox,
            ));
            tokio::spawn(atende_server::demo::widget::simulate(
                local.clone(),
                site.clone(),
                widget_inbox,
                rate / 3.0,
            ));
            eprintln!(
                "{}",
                atende_server::demo::banner(&url, &graph.base_url(), &telegram.base_url(), &site)
            );
            tokio::spawn(atende_server::demo::simulate_meta(
                graph.clone(),
                format!("{local}/webhooks/meta"),
                rate / 3.0,
            ));
            tokio::spawn(atende_server::demo::simulate(
                graph,
                format!("{local}/webhooks/whatsapp"),
                rate,
            ));
            // Telegram's customers write a third as often.
            tokio::spawn(atende_server::demo::simulate_telegram(
                telegram,
                format!("{local}/webhooks/telegram/{bot_inbox}"),
                rate / 3.0,
            ));
            app.run_until_stopped().await
        }
        Command::Openapi => {
            println!("{}", atende_server::app::openapi().to_pretty_json()?);
            Ok(())
        }
        Command::Migrate => {
            let store = Store::open(&StoreOptions::new(&config.database_url)).await?;
            store.close().await;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Bootstrap {
            org,
            email,
            password,
            reseller,
        } => {
            let store = Store::open(&StoreOptions::new(&config.database_url)).await?;
            let out = bootstrap::bootstrap(&store, &org, &email, &password, reseller).await?;
            store.close().await;
            println!("{}", serde_json::to_string(&out)?);
            Ok(())
        }
        Command::Flow { command } => {
            let store = Store::open(&StoreOptions::new(&config.database_url)).await?;
            let out = flow_command(&store, command).await;
            store.close().await;
            out
        }
    }
}

async fn flow_command(store: &Store, command: FlowCommand) -> anyhow::Result<()> {
    use atende_server::flows::{self, ImportError};
    match command {
        FlowCommand::Import { inbox, entry, file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
            };
            let doc: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{}: JSON inválido: {e}", file.display()))?;
            let org = store
                .org_of_inbox(inbox)
                .await
                .map_err(|_| anyhow::anyhow!("caixa de entrada {inbox} não encontrada"))?;
            let entry_inbox = entry.then_some(inbox);
            match flows::import(store, org, &doc, entry_inbox, None).await {
                Ok(i) => {
                    println!(
                        "{}",
                        serde_json::json!({"flow_id": i.flow.id, "name": i.flow.name, "version": i.version.version,
                            "replaced": i.replaced, "entry_inbox": entry_inbox})
                    );
                    Ok(())
                }
                Err(ImportError::Invalid(problems)) => {
                    for p in &problems {
                        eprintln!("{p}");
                    }
                    anyhow::bail!(
                        "o fluxo tem {} problema(s); nada foi importado",
                        problems.len()
                    )
                }
                Err(ImportError::Name(why)) => anyhow::bail!(why),
                Err(ImportError::Store(e)) => Err(e.into()),
            }
        }
        FlowCommand::Export { flow, version } => {
            let org = store
                .org_of_flow(flow)
                .await
                .map_err(|_| anyhow::anyhow!("fluxo {flow} não encontrado"))?;
            let doc = match version {
                Some(v) => store.flow_version(org, flow, v).await?.document.0,
                None => store.flow(org, flow).await?.draft.0,
            };
            let names = flows::Names::load(store, org).await?;
            let out = atende_server::api::flows::exported(doc, &names);
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
    }
}

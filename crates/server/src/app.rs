//! Building and running the application: listener first (so tests can ask
//! for port 0 and read the real port), then the router and the workers.

use std::net::SocketAddr;

use atende_store::{Store, StoreOptions};
use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::state::AppState;
use crate::{api, ops, worker};

pub struct Application {
    listener: TcpListener,
    port: u16,
    state: AppState,
    /// The webhook writers behind `state.intake`.
    intake: crate::intake::writers::Writers,
}

impl Application {
    /// Opens the store (running migrations) and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        config
            .check()
            .map_err(|why| anyhow::anyhow!("configuration: {why}"))?;
        ops::init_metrics();
        let store = Store::open(&StoreOptions::new(&config.database_url)).await?;
        Self::build_with_store(config, store).await
    }

    /// Opens the store and serves on a listener bound beforehand (the demo
    /// binds its address before its fakes take ports of their own).
    pub async fn build_on(config: Config, listener: TcpListener) -> anyhow::Result<Application> {
        config
            .check()
            .map_err(|why| anyhow::anyhow!("configuration: {why}"))?;
        ops::init_metrics();
        let store = Store::open(&StoreOptions::new(&config.database_url)).await?;
        Self::assemble(config, store, listener)
    }

    pub async fn build_with_store(config: Config, store: Store) -> anyhow::Result<Application> {
        config
            .check()
            .map_err(|why| anyhow::anyhow!("configuration: {why}"))?;
        let listener = Self::bind(&config).await?;
        Self::assemble(config, store, listener)
    }

    /// Binds the configured address.
    pub async fn bind(config: &Config) -> anyhow::Result<TcpListener> {
        TcpListener::bind(&config.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))
    }

    fn assemble(
        config: Config,
        store: Store,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let mut config = config;
        if config.public_url.is_empty() || config.public_url.ends_with(":0") {
            config.public_url = format!("http://{}", listener.local_addr()?);
        }
        let state = AppState::new(store, config);
        // The webhook writers, behind `state.intake`: started with the
        // state, so deliveries can be taken as soon as the router serves.
        let intake = crate::intake::writers::start(&state);
        Ok(Application {
            listener,
            port,
            state,
            intake,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves HTTP and runs the job workers until ctrl-c / SIGTERM, then
    /// stops in one order: HTTP (requests in flight finish), the webhook
    /// writers (what they hold is committed and answered), the job workers
    /// (a job in hand finishes), and the store (the SQLite checkpointer
    /// ends with it).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let workers = tokio::spawn(worker::run(
            self.state.clone(),
            self.state.config.workers,
            stop_rx.clone(),
        ));
        let app = router(self.state.clone());
        let addr = self.listener.local_addr()?;
        tracing::info!(%addr, backend = ?self.state.store.backend(), "atende listening on http://{addr}");
        let server = axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal());
        let result = server.await;
        self.intake.stop().await;
        let _ = stop_tx.send(true);
        let _ = workers.await;
        self.state.store.close().await;
        result.map_err(Into::into)
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// The OpenAPI document of the HTTP API (served at `/api/v1/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, openapi) = api::router().split_for_parts();
    api::document_errors(api::prefix_paths(openapi, "/api/v1"))
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = api::router().split_for_parts();
    let openapi = api::document_errors(api::prefix_paths(openapi, "/api/v1"));
    let max_body = state.config.max_body_bytes;
    let api_router = api_router
        .route("/ws", get(api::ws::upgrade))
        .route("/monitoring/stream", get(api::monitoring::stream));
    let webhooks = state
        .channels
        .all()
        .fold(Router::new(), |r, c| r.merge(c.clone().webhooks()));
    Router::new()
        .nest("/api/v1", api_router)
        .merge(
            SwaggerUi::new("/api/docs")
                .url("/api/v1/openapi.json", openapi)
                .url("/widget/v1/openapi.json", crate::widget::routes::openapi()),
        )
        .merge(webhooks)
        .merge(crate::media::router())
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .fallback(crate::web::serve)
        .layer(axum::middleware::from_fn(ops::track))
        .layer(axum::middleware::from_fn(crate::security::headers))
        // Bodies over the limit answer 413; routes that take files raise it.
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new())
        .with_state(state)
}

//! Layered configuration: defaults < `atende.toml` < `ATENDE_*` environment.

use std::fmt;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret value: never printed by `Debug` or logs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// Server configuration. Every key can be set in `atende.toml` or as
/// `ATENDE_<KEY>` (upper case).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `sqlite://data/atende.db` (default) or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub listen: String,
    /// Public base URL (links in e-mails, webhooks). Defaults to `http://<listen>`.
    pub public_url: String,
    /// Event bus: empty = in-process, the only bus this version has. A
    /// `nats://…` URL (several nodes) is refused at start-up until that bus
    /// exists, rather than silently ignored.
    pub bus_url: String,
    /// Signs download links and cookies; generated into the data dir when empty.
    pub secret_key: Secret,
    /// Folder for the SQLite file, media and the generated secret key.
    pub data_dir: PathBuf,
    /// Base URL of the Meta Graph API (tests and the demo point it at a fake).
    pub whatsapp_graph_url: String,
    /// Graph API version used in request paths.
    pub whatsapp_api_version: String,
    /// Outbound messages per second per WhatsApp number (Meta's default is 80).
    pub whatsapp_pacing: u32,
    /// How long a request to the Graph API may take before its outcome is
    /// taken as unknown.
    pub whatsapp_timeout_secs: u64,
    /// How long a message whose send has an unknown outcome (no answer, or
    /// a crash mid-request) waits for the status webhook that proves it
    /// went, before it is sent again. A duplicate is possible only when the
    /// provider took the message and no status of it arrives in this time.
    pub send_confirm_wait_secs: u64,
    /// Base URL of the Telegram Bot API (tests and the demo point it at a
    /// fake); a bot's calls go to `<url>/bot<token>/<method>`.
    pub telegram_api_url: String,
    /// Base URL of the Graph API for Messenger and Instagram; empty: the
    /// WhatsApp one (`whatsapp_graph_url`), with its version.
    pub meta_graph_url: String,
    /// `text`, `json`, or `auto` (JSON when stdout is not a terminal).
    pub log_format: String,
    /// Log filter in `RUST_LOG` syntax.
    pub log: String,
    /// Failed logins allowed per e-mail and per IP in `login_window_secs`.
    pub login_max_attempts: u32,
    pub login_window_secs: u64,
    /// Session lifetime.
    pub session_hours: i64,
    /// Set the `Secure` attribute on cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// Job workers in this process (0 disables them).
    pub workers: usize,
    /// How long a worker owns a job before another node may take it over
    /// (after a crash). Must exceed the longest job.
    pub job_lease_secs: u64,
    /// How often agents without sockets are marked away and expired
    /// customer sessions end their tickets (LC-19, RP-5).
    pub presence_sweep_ms: u64,
    /// A failed job runs again after `job_retry_base_ms · 2^attempts`
    /// (with jitter), at most `job_retry_max_ms` later.
    pub job_retry_base_ms: u64,
    pub job_retry_max_ms: u64,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Let flows' HTTP steps reach the server's own networks (loopback,
    /// private, link-local addresses); off, they reach public addresses only.
    pub flow_http_internal: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/atende.db".into(),
            listen: "127.0.0.1:8080".into(),
            public_url: String::new(),
            bus_url: String::new(),
            secret_key: Secret::default(),
            data_dir: PathBuf::from("data"),
            whatsapp_graph_url: "https://graph.facebook.com".into(),
            whatsapp_api_version: "v25.0".into(),
            whatsapp_pacing: 80,
            whatsapp_timeout_secs: 30,
            send_confirm_wait_secs: 300,
            telegram_api_url: "https://api.telegram.org".into(),
            meta_graph_url: String::new(),
            log_format: "auto".into(),
            log: "info,sqlx=warn".into(),
            login_max_attempts: 10,
            login_window_secs: 300,
            session_hours: 24 * 7,
            secure_cookies: false,
            workers: 2,
            job_lease_secs: 60,
            presence_sweep_ms: 30_000,
            job_retry_base_ms: 1000,
            job_retry_max_ms: 3_600_000,
            max_body_bytes: 2 * 1024 * 1024,
            flow_http_internal: false,
        }
    }
}

/// Keys of [`Config`] (its serialized field names), so that every field can
/// be set from the environment and anything else is reported.
fn keys() -> Vec<String> {
    match serde_json::to_value(Config::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Variables read by the test suites, not by the server.
const NOT_CONFIG: &[&str] = &["test_database_url", "config"];

impl Config {
    /// Loads defaults, then `file` (or `ATENDE_CONFIG`, or `./atende.toml`
    /// when present), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, Box<figment::Error>> {
        let path = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("ATENDE_CONFIG").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("atende.toml"));
        let keys = keys();
        let env = Env::prefixed("ATENDE_")
            .filter(move |k| keys.iter().any(|x| x.eq_ignore_ascii_case(k.as_str())));
        let mut config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(path))
            .merge(env)
            .extract()?;
        if config.public_url.is_empty() {
            config.public_url = format!("http://{}", config.listen);
        }
        Ok(config)
    }

    /// Refuses settings this version accepts but cannot honour, with a
    /// message that says what to do.
    pub fn check(&self) -> Result<(), String> {
        let bus = self.bus_url.trim();
        if !bus.is_empty() {
            return Err(format!(
                "ATENDE_BUS_URL={bus}: this version runs as a single node with its \
                 in-process event bus; a shared bus (NATS) for several nodes is not \
                 available yet. Unset ATENDE_BUS_URL (bus_url) and run one node."
            ));
        }
        Ok(())
    }

    /// `ATENDE_*` variables that match no key (typos), to warn about.
    pub fn unknown_env() -> Vec<String> {
        let keys = keys();
        std::env::vars()
            .filter_map(|(k, _)| k.strip_prefix("ATENDE_").map(str::to_ascii_lowercase))
            .filter(|k| !keys.contains(k) && !NOT_CONFIG.contains(&k.as_str()))
            .map(|k| format!("ATENDE_{}", k.to_ascii_uppercase()))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closure type
mod tests {
    use super::*;

    #[test]
    fn layers_file_then_env() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("atende.toml", "listen = \"0.0.0.0:9000\"\nworkers = 5\n")?;
            jail.set_env("ATENDE_WORKERS", "7");
            jail.set_env("ATENDE_SECRET_KEY", "s3cr3t");
            let c = Config::load(None).map_err(|e| *e)?;
            assert_eq!(c.listen, "0.0.0.0:9000");
            assert_eq!(c.workers, 7);
            assert_eq!(c.public_url, "http://0.0.0.0:9000");
            assert_eq!(c.database_url, "sqlite://data/atende.db");
            assert_eq!(format!("{:?}", c.secret_key), "\"***\"");
            Ok(())
        });
    }

    #[test]
    fn a_bus_url_is_refused_rather_than_ignored() {
        let mut c = Config::default();
        assert!(c.check().is_ok());
        c.bus_url = "nats://127.0.0.1:4222".into();
        let why = c.check().unwrap_err();
        assert!(
            why.contains("ATENDE_BUS_URL=nats://127.0.0.1:4222"),
            "{why}"
        );
        assert!(why.contains("single node"), "{why}");
    }

    #[test]
    fn every_key_can_be_set_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("ATENDE_JOB_LEASE_SECS", "3");
            jail.set_env("ATENDE_WHATSAPP_PACING", "20");
            jail.set_env("ATENDE_MAX_BODY_BYTES", "1000");
            jail.set_env("ATENDE_SEND_CONFIRM_WAIT_SECS", "7");
            jail.set_env("ATENDE_JOB_RETRY_BASE_MS", "5");
            jail.set_env("ATENDE_PRESENCE_SWEEP_MS", "250");
            let c = Config::load(None).map_err(|e| *e)?;
            assert_eq!(c.presence_sweep_ms, 250);
            assert_eq!(
                (c.job_lease_secs, c.whatsapp_pacing, c.max_body_bytes),
                (3, 20, 1000)
            );
            assert_eq!((c.send_confirm_wait_secs, c.job_retry_base_ms), (7, 5));
            assert!(
                Config::unknown_env().is_empty(),
                "{:?}",
                Config::unknown_env()
            );
            assert!(
                keys().contains(&"database_url".to_string()) && keys().len() == 26,
                "{:?}",
                keys()
            );
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_in_file_fail_and_env_typos_are_reported() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("atende.toml", "lisen = \"x\"\n")?;
            assert!(Config::load(None).is_err());
            jail.set_env("ATENDE_DATABSE_URL", "x");
            assert!(Config::unknown_env().contains(&"ATENDE_DATABSE_URL".to_string()));
            Ok(())
        });
    }
}

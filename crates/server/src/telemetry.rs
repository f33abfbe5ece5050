//! Logging setup and start-up checks.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::{Config, Secret};

/// Installs the global subscriber, writing to stderr (stdout stays for
/// command output such as `bootstrap`'s JSON): JSON when stderr is not a
/// terminal (or when asked), human-readable text otherwise.
pub fn init(config: &Config) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.log));
    let json = match config.log_format.as_str() {
        "json" => true,
        "text" => false,
        _ => !std::io::stderr().is_terminal(),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Fills `secret_key` from `<data_dir>/secret.key`, creating it (random,
/// readable by the owner only) on first start.
pub fn ensure_secret_key(config: &mut Config) -> anyhow::Result<()> {
    if !config.secret_key.is_empty() {
        return Ok(());
    }
    let path = config.data_dir.join("secret.key");
    if let Ok(s) = std::fs::read_to_string(&path)
        && !s.trim().is_empty()
    {
        config.secret_key = Secret::new(s.trim());
        return Ok(());
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!("cannot create data dir {}: {e}", config.data_dir.display())
    })?;
    let key = crate::auth::random_token();
    std::fs::write(&path, &key)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    tracing::info!(path = %path.display(), "generated a new secret key");
    config.secret_key = Secret::new(key);
    Ok(())
}

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

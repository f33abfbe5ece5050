//! Starting and stopping `atende serve` as a child process.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub addr: String,
    /// Log lines seen until the server announced its address.
    pub log: Vec<String>,
}

/// The binary under test: this build's, or `ATENDE_BIN` (a release build
/// for the full-speed scripts in bench/).
pub fn atende() -> Command {
    match std::env::var_os("ATENDE_BIN") {
        Some(bin) => Command::new(bin),
        None => Command::new(env!("CARGO_BIN_EXE_atende")),
    }
}

/// Starts `atende serve` in `dir` with `envs` (and nothing else from the
/// environment but PATH and HOME); waits for "listening" in its JSON log.
#[allow(
    clippy::zombie_processes,
    reason = "the child moves into Server, whose Drop kills and waits"
)]
pub fn start(dir: &Path, envs: &[(&str, &str)]) -> Server {
    let mut cmd = atende();
    cmd.arg("serve")
        .current_dir(dir)
        .env_clear()
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped());
    for k in ["PATH", "HOME"] {
        if let Ok(v) = std::env::var(k) {
            cmd.env(k, v);
        }
    }
    cmd.env("ATENDE_LOG_FORMAT", "json");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn atende serve");
    let stdout = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut log = Vec::new();
    loop {
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "atende serve did not announce its address; log so far:\n{}",
                    log.join("\n")
                );
            }
        };
        log.push(line.clone());
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if let Some(addr) = v["fields"]["addr"].as_str().filter(|_| {
            v["fields"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("listening")
        }) {
            let addr = format!("http://{addr}");
            // Keep draining the pipe so the server never blocks on logging.
            std::thread::spawn(move || while rx.recv().is_ok() {});
            return Server { child, addr, log };
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

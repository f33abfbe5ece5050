use std::process::Stdio;

use crate::server::{atende, start};

/// A fresh checkout with no configuration: `atende serve` creates the SQLite
/// database under ./data, answers, and logs where it listens.
#[test]
fn serve_with_no_configuration_uses_sqlite_under_data_and_logs_its_address() {
    let dir = tempfile::tempdir().unwrap();
    // Port 0 keeps parallel test runs apart; everything else is default.
    let server = start(dir.path(), &[("ATENDE_LISTEN", "127.0.0.1:0")]);
    assert!(
        dir.path().join("data/atende.db").exists(),
        "no ./data/atende.db"
    );
    assert!(
        dir.path().join("data/secret.key").exists(),
        "no generated secret key"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let body = rt.block_on(async {
        reqwest::get(format!("{}/readyz", server.addr))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert_eq!(body, "ready");
    let line = server.log.iter().find(|l| l.contains("listening")).unwrap();
    assert!(line.contains("Sqlite"), "{line}");
}

/// A bus for several nodes does not exist yet: asking for one stops the
/// server at start with a message that says so, instead of running alone
/// while the operator believes the nodes share their events.
#[test]
fn a_nats_bus_url_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = atende()
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ATENDE_LISTEN", "127.0.0.1:0")
        .env("ATENDE_BUS_URL", "nats://127.0.0.1:4222")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("atende serve kept running with ATENDE_BUS_URL set: the bus URL was ignored");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        err.contains("ATENDE_BUS_URL=nats://127.0.0.1:4222") && err.contains("single node"),
        "{err}"
    );
}

#[test]
fn unknown_atende_variables_are_reported_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(
        dir.path(),
        &[
            ("ATENDE_LISTEN", "127.0.0.1:0"),
            ("ATENDE_DATABSE_URL", "typo"),
        ],
    );
    assert!(
        server
            .log
            .iter()
            .any(|l| l.contains("ATENDE_DATABSE_URL") && l.contains("unknown")),
        "{:?}",
        server.log
    );
}

#[test]
fn bootstrap_is_idempotent_and_prints_json_ids() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        let out = atende()
            .args([
                "bootstrap",
                "--org",
                "Padaria Pão Quente",
                "--email",
                "dona@padaria.com.br",
                "--password",
                "fermento-123",
            ])
            .current_dir(dir.path())
            .env_remove("ATENDE_DATABASE_URL")
            .env("ATENDE_LOG_FORMAT", "json")
            .stderr(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        let stdout = String::from_utf8(out.stdout).unwrap();
        serde_json::from_str::<serde_json::Value>(stdout.trim()).unwrap()
    };
    let first = run();
    let second = run();
    assert_eq!(first["org_id"], second["org_id"]);
    assert_eq!(first["user_id"], second["user_id"]);
    assert_eq!(first["created"], true);
    assert_eq!(second["created"], false);
    let bad = atende()
        .args([
            "bootstrap",
            "--org",
            "X",
            "--email",
            "not-an-email",
            "--password",
            "fermento-123",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

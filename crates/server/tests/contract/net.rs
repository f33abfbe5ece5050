//! The four checks over every documented operation.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;

use crate::fixture::Fixture;
use crate::helpers::Session;
use crate::openapi::{self, Operation};
use crate::roles::{self, Rule};

/// What a call answered.
struct Answer {
    status: u16,
    body: String,
}

async fn call(s: &Session, op: &Operation, path: &str, body: Option<Value>) -> Answer {
    let r = if op.multipart {
        // An upload without a file: the permission is checked first.
        let form = reqwest::multipart::Form::new().text("note", "no file");
        let b = s
            .client
            .request(op.method.clone(), format!("{}{}", s.base, path));
        let b = match &s.bearer {
            Some(t) => b.bearer_auth(t),
            None => b.header("x-csrf-token", &s.csrf),
        };
        b.multipart(form).send().await.unwrap()
    } else {
        s.send(op.method.clone(), path, body).await
    };
    let status = r.status().as_u16();
    Answer {
        status,
        body: r.text().await.unwrap_or_default(),
    }
}

/// Fails on a 5xx, or on an error answer without `{"error":{"code","message"}}`.
fn well_formed(op: &Operation, who: &str, a: &Answer) {
    assert!(
        a.status < 500,
        "{who}: {} answered {}: {}",
        op.key(),
        a.status,
        a.body
    );
    assert!(
        op.statuses.contains(&a.status),
        "{who}: {} answered {}, which its document does not list ({:?}): {}",
        op.key(),
        a.status,
        op.statuses,
        a.body
    );
    if let Some(schema) = op.answers.get(&a.status) {
        let v: Value = serde_json::from_str(&a.body).unwrap_or_else(|_| {
            panic!(
                "{who}: {} answered {} with a body that is not the documented JSON: {}",
                op.key(),
                a.status,
                a.body
            )
        });
        if let Err(errors) = openapi::conforms(openapi::shared(), schema, &v) {
            panic!(
                "{who}: {} answered {} against its documented schema:\n{}\nbody: {}",
                op.key(),
                a.status,
                errors.join("\n"),
                a.body.chars().take(2000).collect::<String>()
            );
        }
    }
    if a.status >= 400 {
        let v: Value = serde_json::from_str(&a.body).unwrap_or_else(|_| {
            panic!(
                "{who}: {} answered {} without JSON: {}",
                op.key(),
                a.status,
                a.body
            )
        });
        assert!(
            v["error"]["code"].is_string() && v["error"]["message"].is_string(),
            "{who}: {} answered {} without an error code and message: {}",
            op.key(),
            a.status,
            a.body
        );
    }
}

/// The operations in the order a session can take them all: writes before
/// deletions, and logout last of all.
fn in_safe_order(ops: Vec<Operation>) -> Vec<Operation> {
    let rank = |o: &Operation| match (&o.method, o.path.as_str()) {
        (_, "/api/v1/auth/logout") => 3,
        (&Method::DELETE, _) => 2,
        (&Method::GET, _) => 0,
        _ => 1,
    };
    let mut ops = ops;
    ops.sort_by_key(|o| (rank(o), o.key()));
    ops
}

/// The path with this organization's ids and the required query.
fn target(fx: &Fixture, doc: &Value, op: &Operation) -> String {
    let known = fx.known();
    format!(
        "{}{}",
        fx.fill(&op.path),
        openapi::query_string(doc, op, &known)
    )
}

fn body_for(fx: &Fixture, doc: &Value, op: &Operation) -> Option<Value> {
    let known = fx.known();
    op.body
        .as_ref()
        .map(|s| openapi::example(doc, s, "", &known))
}

#[tokio::test]
async fn every_operation_has_a_line_in_the_role_table() {
    let doc = openapi::document();
    let documented: BTreeSet<String> = openapi::operations(&doc).iter().map(|o| o.key()).collect();
    let listed: BTreeSet<String> = roles::TABLE.iter().map(|(k, _)| k.to_string()).collect();
    let missing: Vec<_> = documented.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&documented).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "operations without a line in tests/contract/roles.rs: {missing:#?}\nlines for no operation: {stale:#?}"
    );
    eprintln!("role table covers {} operations", documented.len());
}

/// (a) Another organization's administrator names A's ids: every operation
/// with an id in its path answers 404, no answer shows A's ids, and A is
/// unchanged.
#[tokio::test]
async fn another_organization_reaches_nothing() {
    let fx = Fixture::new().await;
    let doc = openapi::document();
    let other = fx.app.other_org().await;
    let before = fx.settled().await;
    let secrets: Vec<&String> = fx.ids.values().collect();
    let mut covered = 0;
    let mut failures = Vec::new();
    for op in in_safe_order(openapi::operations(&doc)) {
        if roles::rule(&op.key()) == Rule::Public {
            continue;
        }
        let path = target(&fx, &doc, &op);
        let a = call(&other, &op, &path, body_for(&fx, &doc, &op)).await;
        well_formed(&op, "other organization", &a);
        if op.has_path_params() && a.status != 404 {
            failures.push(format!("{} answered {}: {}", op.key(), a.status, a.body));
        } else if op.method == Method::GET {
            for id in &secrets {
                if a.body.contains(id.as_str()) {
                    failures.push(format!("{} shows {id}: {}", op.key(), a.body));
                }
            }
        }
        covered += 1;
    }
    assert!(
        failures.is_empty(),
        "another organization reached organization A:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        fx.fingerprint().await,
        before,
        "another organization changed organization A"
    );
    eprintln!("isolation: {covered} operations");
}

/// (b) Each role gets exactly what the table says: a denied call is 403 and
/// changes nothing; an allowed one is neither 401 nor 403 (its body may
/// still be refused for what it says).
#[tokio::test]
async fn each_role_gets_what_the_table_says() {
    let fx = Fixture::new().await;
    let doc = openapi::document();
    let print = std::env::var_os("ATENDE_CONTRACT_PRINT").is_some();
    let ops = in_safe_order(openapi::operations(&doc));
    let mut seen: std::collections::BTreeMap<String, [u16; 3]> = Default::default();
    let mut failures = Vec::new();
    for (i, (role, session)) in [
        ("agent", &fx.agent),
        ("manager", &fx.manager),
        ("admin", &fx.admin),
    ]
    .into_iter()
    .enumerate()
    {
        for op in &ops {
            // ATENDE_CONTRACT_PRINT=1 prints what each role got, to write a
            // new operation's line (after reading the handler).
            let rule = match roles::find(&op.key()) {
                Some(r) => r,
                None if print => Rule::Roles([true; 3]),
                None => panic!("{} has no line in the role table", op.key()),
            };
            if rule == Rule::Public {
                continue;
            }
            let path = target(&fx, &doc, op);
            let before = if rule.denies(i) {
                Some(fx.settled().await)
            } else {
                None
            };
            let a = call(session, op, &path, body_for(&fx, &doc, op)).await;
            well_formed(op, role, &a);
            seen.entry(op.key()).or_default()[i] = a.status;
            let ok = if rule.denies(i) {
                a.status == 403
            } else {
                a.status != 401 && a.status != 403
            };
            if !ok {
                failures.push(format!(
                    "{role}: {} answered {} ({rule:?}): {}",
                    op.key(),
                    a.status,
                    a.body
                ));
            }
            if let Some(before) = before
                && a.status == 403
            {
                assert_eq!(
                    fx.fingerprint().await,
                    before,
                    "{role}: a refused {} changed something",
                    op.key()
                );
            }
        }
    }
    if print {
        for (k, s) in &seen {
            let r = |x: u16| if x == 403 { "D" } else { "A" };
            println!("    (\"{k}\", r(\"{}{}{}\")),", r(s[0]), r(s[1]), r(s[2]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} calls against the role table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// (c) Malformed bodies are 400/422 with an error code, and change nothing.
#[tokio::test]
async fn malformed_bodies_are_refused_and_change_nothing() {
    let fx = Fixture::new().await;
    let doc = openapi::document();
    let before = fx.settled().await;
    let mut covered = 0;
    for op in openapi::operations(&doc) {
        if op.body.is_none() || op.path == "/api/v1/auth/login" {
            continue;
        }
        let path = target(&fx, &doc, &op);
        for (what, raw) in [
            ("broken JSON", "{\"x\":"),
            ("a list", "[]"),
            ("a number", "42"),
        ] {
            let r = fx
                .admin
                .client
                .request(op.method.clone(), format!("{}{}", fx.admin.base, path))
                .header("x-csrf-token", &fx.admin.csrf)
                .header("content-type", "application/json")
                .body(raw)
                .send()
                .await
                .unwrap();
            let a = Answer {
                status: r.status().as_u16(),
                body: r.text().await.unwrap_or_default(),
            };
            well_formed(&op, what, &a);
            assert!(
                a.status == 400 || a.status == 422,
                "{what}: {} answered {}: {}",
                op.key(),
                a.status,
                a.body
            );
        }
        covered += 1;
    }
    assert_eq!(
        fx.fingerprint().await,
        before,
        "a malformed body changed something"
    );
    let login = fx
        .admin
        .client
        .post(fx.app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 400);
    eprintln!("malformed bodies: {covered} operations");
}

/// A body may be left out exactly where the document says it is optional:
/// a required one missing is refused (400/415/422), an optional one missing
/// is not refused for being missing.
#[tokio::test]
async fn a_body_is_optional_exactly_where_documented() {
    let fx = Fixture::new().await;
    let doc = openapi::document();
    for op in openapi::operations(&doc) {
        if op.body.is_none() || op.path == "/api/v1/auth/login" || op.path == "/api/v1/auth/logout"
        {
            continue;
        }
        let path = target(&fx, &doc, &op);
        // The document says whether the body may be left out; the server
        // must agree both ways.
        let r = fx
            .admin
            .client
            .request(op.method.clone(), format!("{}{}", fx.admin.base, path))
            .header("x-csrf-token", &fx.admin.csrf)
            .send()
            .await
            .unwrap();
        let a = Answer {
            status: r.status().as_u16(),
            body: r.text().await.unwrap_or_default(),
        };
        well_formed(&op, "no body", &a);
        let refused = matches!(a.status, 400 | 415 | 422);
        let about_body = a.status == 415 || a.body.contains("JSON") || a.body.contains("corpo");
        if op.body_required {
            assert!(
                refused,
                "no body: {} (body required) answered {}: {}",
                op.key(),
                a.status,
                a.body
            );
        } else {
            assert!(
                !(refused && about_body),
                "no body: {} (body optional) refused it: {} {}",
                op.key(),
                a.status,
                a.body
            );
        }
    }
}

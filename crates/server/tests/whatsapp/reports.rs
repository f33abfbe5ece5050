//! The full conversation history of a contact (RP-1): the search's rules
//! and messages (seed 000, word for word), the generation as a job, the
//! PDF's text in order with accents and protocols, internal notes only when
//! asked, the permission, and the download's expiry.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, assert_error};
use crate::support::Wa;

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Sao_Paulo)
        .date_naive()
        .to_string()
}

fn period_q(q: &str) -> String {
    let t = today();
    format!(
        "/api/v1/reports/history/candidates?q={}&from={t}&to={t}",
        urlencoding(q)
    )
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A conversation with the bot, an agent, an internal note and a closing:
/// returns the conversation, its protocol and the agent.
async fn a_served_customer(wa: &Wa) -> (String, String, Session) {
    let d = wa
        .admin
        .post_json("/api/v1/departments", json!({"name": "Vendas"}))
        .await;
    let agent = wa
        .app
        .named_user(&wa.admin, "agent", "Bruno Atendente")
        .await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/departments/{}/members", d["id"].as_str().unwrap()),
            json!({"user_id": agent.user_id}),
        )
        .await;
    assert!(r.status().is_success());
    let r = wa
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"entry_inbox": wa.inbox_id, "document": {"schema": 1, "name": "Recepção", "start": "oi", "steps": {
                "oi": {"type": "send", "content": {"kind": "text", "text": "Olá! Sou o assistente da loja, já vou te passar para um atendente."}, "next": "passa"},
                "passa": {"type": "open_attendance", "target": {"to": "department", "department": "Vendas"}}
            }}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let conv = wa
        .customer_writes(
            "5511987651234",
            "Márcia Conceição",
            "Oi, quero saber da minha encomenda",
        )
        .await;
    let c = wa
        .until(async || {
            let c = wa.admin.conversation(&conv).await;
            c["protocol"].is_string().then_some(c)
        })
        .await;
    let protocol = c["protocol"].as_str().unwrap().to_string();
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/assign"),
            json!({"agent_id": agent.user_id}),
        )
        .await;
    assert_eq!(r.status(), 200);
    for body in [
        json!({"text": "Olá, Márcia! Sua encomenda saiu de São Paulo ontem."}),
        json!({"text": "cliente VIP, priorizar", "internal": true}),
    ] {
        let r = agent
            .post(&format!("/api/v1/conversations/{conv}/messages"), body)
            .await;
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }
    let (_, m) = wa.sim.text_payload(
        "5511987651234",
        "Márcia Conceição",
        "Obrigada! Ação rápida 👍",
    );
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    wa.until(async || {
        let m = wa.messages(&conv).await;
        (m.iter().filter(|m| m["author_kind"] == "contact").count() >= 2).then_some(())
    })
    .await;
    let r = agent
        .post(&format!("/api/v1/conversations/{conv}/close"), json!({}))
        .await;
    assert!(r.status().is_success());
    (conv, protocol, agent)
}

/// Polls a report until it leaves "processing".
pub async fn finished(wa: &Wa, id: &str) -> Value {
    wa.until(async || {
        let r = wa.admin.get_json(&format!("/api/v1/reports/{id}")).await;
        (r["status"] != "processing").then_some(r)
    })
    .await
}

/// The PDF's text (pdftotext -layout); page 1 is kept as a picture under
/// `$CARGO_TARGET_DIR/test-artifacts/{artifact}.png`. None without poppler.
pub fn pdftotext(pdf: &[u8], artifact: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    assert!(out.status.success(), "pdftotext failed");
    // Page 1 as a picture, kept as a test artifact.
    let artifacts = std::path::PathBuf::from(
        std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "../../target".into()),
    )
    .join("test-artifacts");
    if std::fs::create_dir_all(&artifacts).is_ok() {
        let _ = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&path)
            .arg(artifacts.join(artifact))
            .status();
    }
    Some(String::from_utf8(out.stdout).unwrap())
}

#[tokio::test]
async fn a_contacts_full_history_is_one_pdf_with_bot_and_people_in_order() {
    let wa = Wa::start().await;
    let (_, protocol, _) = a_served_customer(&wa).await;

    let found = wa.admin.get_json(&period_q("márcia")).await;
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{found}");
    assert_eq!(items[0]["name"], "Márcia Conceição");
    let contact = items[0]["id"].as_str().unwrap().to_string();

    let t = today();
    let r = wa
        .admin
        .post(
            "/api/v1/reports/history",
            json!({"contact_id": contact, "from": t, "to": t}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let started: Value = r.json().await.unwrap();
    assert_eq!(started["status"], "processing");
    assert_eq!(
        started["message"],
        "O histórico está sendo processado e em breve estará disponível"
    );
    let id = started["id"].as_str().unwrap().to_string();
    let done = finished(&wa, &id).await;
    assert_eq!(done["status"], "ready", "{done}");
    assert_eq!(done["message"], "Baixar histórico completo do contato");
    let url = done["download_url"].as_str().unwrap();
    let r = wa.admin.get(url).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let Some(text) = pdftotext(&pdf, "history-report-page1") else {
        panic!("pdftotext is missing: .ci/setup installs poppler-utils");
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let order = [
        "Oi, quero saber da minha encomenda",
        "Olá! Sou o assistente da loja",
        "Olá, Márcia! Sua encomenda saiu de São Paulo ontem.",
        "Obrigada! Ação rápida",
    ];
    let mut at = 0;
    for line in order {
        let pos = flat[at..]
            .find(line)
            .unwrap_or_else(|| panic!("{line:?} missing or out of order in:\n{flat}"));
        at += pos + line.len();
    }
    assert!(flat.contains(&protocol), "the protocol is marked: {flat}");
    assert!(
        !flat.contains("cliente VIP"),
        "internal notes are left out by default"
    );

    // With internal notes, when asked.
    let r = wa
        .admin
        .post_json(
            "/api/v1/reports/history",
            json!({"contact_id": contact, "from": t, "to": t, "include_internal": true}),
        )
        .await;
    let done = finished(&wa, r["id"].as_str().unwrap()).await;
    let pdf = wa
        .admin
        .get(done["download_url"].as_str().unwrap())
        .await
        .bytes()
        .await
        .unwrap();
    let flat = pdftotext(&pdf, "history-report-with-notes-page1")
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("cliente VIP, priorizar"), "{flat}");

    // The report manager lists both; each download is audited.
    let list = wa.admin.get_json("/api/v1/reports").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
}

/// RP-4: the inbox's attendances of the last 3 months; one downloads as a
/// PDF of that attendance only.
#[tokio::test]
async fn a_ticket_downloads_as_the_pdf_of_its_attendance_only() {
    let wa = Wa::start().await;
    let (conv, protocol, _) = a_served_customer(&wa).await;
    // The contact comes back later: a second attendance.
    let (_, m) = wa.sim.text_payload(
        "5511987651234",
        "Márcia Conceição",
        "Voltei com outra dúvida",
    );
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    wa.until(async || {
        let c = wa.admin.conversation(&conv).await;
        (c["protocol"].is_string() && c["protocol"] != protocol.as_str()).then_some(())
    })
    .await;
    let tickets = wa
        .admin
        .get_json(&format!("/api/v1/reports/tickets?inbox_id={}", wa.inbox_id))
        .await;
    let tickets = tickets.as_array().unwrap();
    assert_eq!(tickets.len(), 2, "{tickets:?}");
    assert_eq!(tickets[1]["protocol"], protocol.as_str(), "newest first");
    assert_eq!(tickets[1]["agent"], "Bruno Atendente");
    let first = tickets[1]["id"].as_str().unwrap();
    let r = wa
        .admin
        .post(&format!("/api/v1/reports/tickets/{first}"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let started: Value = r.json().await.unwrap();
    assert_eq!(started["kind"], "ticket");
    let done = finished(&wa, started["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "ready", "{done}");
    assert_eq!(done["message"], "Baixar PDF do atendimento");
    let r = wa.admin.get(done["download_url"].as_str().unwrap()).await;
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&format!("atendimento-{protocol}.pdf")),
        "{disposition}"
    );
    let flat = pdftotext(&r.bytes().await.unwrap(), "ticket-report-page1")
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("Sua encomenda saiu de São Paulo ontem."),
        "{flat}"
    );
    assert!(flat.contains(&protocol));
    assert!(
        !flat.contains("Voltei com outra dúvida"),
        "only that attendance: {flat}"
    );
    // Someone who only reads reports picks the inbox from the list.
    let analyst = wa.app.named_user(&wa.admin, "agent", "Ana Lista").await;
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/users/{}", analyst.user_id),
            json!({"permissions": {"modules": {"reports": "view"}}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let inboxes = analyst.get_json("/api/v1/inboxes").await;
    assert_eq!(inboxes[0]["id"], wa.inbox_id.as_str());
    let listed = analyst
        .get_json(&format!("/api/v1/reports/tickets?inbox_id={}", wa.inbox_id))
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // Pages of one, both attendances opened in the same millisecond: the
    // cursor is the last one's time and id, so neither is skipped.
    let at = chrono::Utc::now().timestamp_millis() - 60_000;
    for t in listed.as_array().unwrap() {
        atende_store::testing::set_attendance_opened(
            wa.app.store(),
            t["id"].as_str().unwrap().parse().unwrap(),
            at,
        )
        .await
        .unwrap();
    }
    let mut seen = Vec::new();
    let mut query = String::new();
    loop {
        let page = analyst
            .get_json(&format!(
                "/api/v1/reports/tickets?inbox_id={}&limit=1{query}",
                wa.inbox_id
            ))
            .await;
        let Some(last) = page.as_array().unwrap().last() else {
            break;
        };
        seen.push(last["protocol"].as_str().unwrap().to_string());
        query = format!(
            "&before={}&before_id={}",
            urlencoding(last["opened_at"].as_str().unwrap()),
            last["id"].as_str().unwrap()
        );
    }
    seen.sort();
    let mut all: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["protocol"].as_str().unwrap().to_string())
        .collect();
    all.sort();
    assert_eq!(seen, all, "each attendance once");
    // An attendance of another inbox's id space: not found.
    let r = wa
        .admin
        .post(
            &format!("/api/v1/reports/tickets/{}", uuid::Uuid::now_v7()),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_search_follows_seed_000s_rules_and_messages() {
    let wa = Wa::start().await;
    let t = today();
    for i in 0..6 {
        wa.customer_writes(&format!("55119876500{i:02}"), &format!("Paulo {i}"), "oi")
            .await;
    }
    let conv = wa
        .customer_writes("5511912340000", "Joana Prado", "bom dia")
        .await;
    let c = wa.admin.conversation(&conv).await;
    let joana = c["contact"]["id"].as_str().unwrap().to_string();
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/contacts/{joana}"),
            json!({"email": "joana@exemplo.com.br"}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    // More than 5: refine.
    let e = assert_error(
        wa.admin.get(&period_q("paulo")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_results",
    )
    .await;
    assert_eq!(
        e["error"]["message"],
        "Resultados em excesso. Por favor, refine sua busca para uma identificação mais exata do contato"
    );
    // Specific enough: one.
    let one = wa.admin.get_json(&period_q("Paulo 3")).await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    // Phone: approximate; e-mail and id: exact.
    let by_phone = wa.admin.get_json(&period_q("91234-0000")).await;
    assert_eq!(by_phone["items"][0]["id"], joana.as_str());
    let by_mail = wa.admin.get_json(&period_q("JOANA@exemplo.com.br")).await;
    assert_eq!(by_mail["items"][0]["id"], joana.as_str());
    assert_error(
        wa.admin.get(&period_q("joana@exemplo.com")).await,
        StatusCode::NOT_FOUND,
        "no_contact_found",
    )
    .await;
    let by_id = wa.admin.get_json(&period_q(&joana)).await;
    assert_eq!(by_id["items"][0]["name"], "Joana Prado");
    // Names match without accents or case, either way round.
    wa.customer_writes("5511955550000", "João Conceição", "olá")
        .await;
    wa.customer_writes("5511955550001", "ÉRICA ÁVILA", "olá")
        .await;
    for (q, name) in [
        ("joao conceicao", "João Conceição"),
        ("CONCEIÇÃO", "João Conceição"),
        ("erica avila", "ÉRICA ÁVILA"),
        ("Ávila", "ÉRICA ÁVILA"),
    ] {
        let found = wa.admin.get_json(&period_q(q)).await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "{q}");
        assert_eq!(found["items"][0]["name"], name, "{q}");
    }
    // Nobody at all.
    let e = assert_error(
        wa.admin.get(&period_q("Zuleica")).await,
        StatusCode::NOT_FOUND,
        "no_contact_found",
    )
    .await;
    assert_eq!(
        e["error"]["message"],
        "Nenhum contato foi encontrado. Confira os filtros aplicados e tente novamente"
    );
    // Found, but not in the period.
    let e = assert_error(
        wa.admin
            .get("/api/v1/reports/history/candidates?q=Joana&from=2020-01-01&to=2020-01-31")
            .await,
        StatusCode::NOT_FOUND,
        "contact_not_found",
    )
    .await;
    assert_eq!(
        e["error"]["message"],
        "O contato não foi encontrado no período"
    );
    // A report for a period without conversations is refused, nothing kept.
    let e = assert_error(
        wa.admin
            .post(
                "/api/v1/reports/history",
                json!({"contact_id": joana, "from": "2020-01-01", "to": "2020-01-31"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_conversation_found",
    )
    .await;
    assert_eq!(
        e["error"]["message"],
        "Nenhuma conversa foi encontrada. Confira os filtros aplicados e tente novamente"
    );
    assert_eq!(wa.admin.get_json("/api/v1/reports").await, json!([]));
    // A backwards period.
    assert_error(
        wa.admin
            .get(&format!(
                "/api/v1/reports/history/candidates?q=Joana&from={t}&to=2020-01-01"
            ))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;

    // The Reports module is needed: agents have none by default.
    let agent = wa.app.user(&wa.admin, "agent").await;
    assert_error(
        agent.get(&period_q("Joana")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        agent
            .post(
                "/api/v1/reports/history",
                json!({"contact_id": joana, "from": t, "to": t}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        agent.get("/api/v1/reports").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn an_expired_history_says_so_and_no_longer_downloads() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511955554444", "Rita Lee", "olá").await;
    let contact = wa.admin.conversation(&conv).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = today();
    let r = wa
        .admin
        .post_json(
            "/api/v1/reports/history",
            json!({"contact_id": contact, "from": t, "to": t}),
        )
        .await;
    let id = r["id"].as_str().unwrap().to_string();
    let done = finished(&wa, &id).await;
    assert_eq!(done["status"], "ready");
    atende_store::testing::expire_report(wa.app.store(), id.parse().unwrap())
        .await
        .unwrap();
    let gone = wa.admin.get_json(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(gone["status"], "expired");
    assert_eq!(
        gone["message"],
        "O histórico completo da conversa expirou. Gere novamente para obter os dados"
    );
    assert!(gone["download_url"].is_null());
    let e = assert_error(
        wa.admin
            .get(&format!("/api/v1/reports/{id}/download"))
            .await,
        StatusCode::GONE,
        "expired",
    )
    .await;
    assert_eq!(e["error"]["message"], gone["message"]);
}

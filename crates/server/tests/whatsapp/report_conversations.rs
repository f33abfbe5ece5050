//! The conversations report (RP-2, seed 001): sessions of bot-only and
//! handed-over conversations, newest first; every filter (the 31-day
//! limit, session, protocol, tags, additional information with each
//! operation, channel, contact); paging; a session's conversation; the CSV
//! and XLSX exports; the permission.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::assert_error;
use crate::reports::{finished, pdftotext};
use crate::support::Wa;

const DAY_MS: i64 = 86_400_000;
const MARCIA: &str = "5511987650001";
const JOAO: &str = "5511987650002";

fn day(offset_days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(offset_days))
        .with_timezone(&chrono_tz::America::Sao_Paulo)
        .date_naive()
        .to_string()
}

/// The bot's menu: "1" is the duplicate bill (tags the chat and stores
/// NAO_TRANSBORDADA in the run), "2" hands over to Vendas.
fn menu() -> Value {
    json!({
        "schema": 1,
        "name": "Atendimento virtual",
        "start": "menu",
        "steps": {
            "menu": {"type": "send", "content": {"kind": "text",
                "text": "Digite 1 para a segunda via ou 2 para falar com um atendente."}, "next": "escolha"},
            "escolha": {"type": "ask", "field": "opcao", "answer": {"kind": "option", "options": ["1", "2"]},
                "next": "rota"},
            "rota": {"type": "condition", "rules": [{"field": "opcao", "op": "equals", "value": "1"}],
                "then": "segunda_via", "else": "humano"},
            "segunda_via": {"type": "set", "tags": ["Segunda Via Sucesso"],
                "fields": {"NAO_TRANSBORDADA": "sim"}, "next": "envia"},
            "envia": {"type": "send", "content": {"kind": "text", "text": "Aqui está sua segunda via, Márcia."}},
            "humano": {"type": "open_attendance", "target": {"to": "department", "department": "Vendas"}}
        }
    })
}

struct World {
    wa: Wa,
    tag_id: String,
    marcia_conv: String,
    joao_protocol: String,
}

async fn writes(wa: &Wa, who: &str, name: &str, text: &str) {
    let (_, m) = wa.sim.text_payload(who, name, text);
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
}

/// Márcia got her bill from the bot 40 days ago and wrote again today;
/// João was handed over to Vendas today.
async fn world() -> World {
    let wa = Wa::start().await;
    let tag = wa
        .admin
        .post_json(
            "/api/v1/tags",
            json!({"name": "Segunda Via Sucesso", "color": "#2e7d32"}),
        )
        .await;
    wa.admin
        .post_json("/api/v1/departments", json!({"name": "Vendas"}))
        .await;
    let r = wa
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"document": menu(), "entry_inbox": wa.inbox_id}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    let marcia_conv = wa.customer_writes(MARCIA, "Márcia Conceição", "oi").await;
    wa.until(async || {
        let m = wa.messages(&marcia_conv).await;
        (m.iter().any(|m| m["author_kind"] == "bot")).then_some(())
    })
    .await;
    writes(&wa, MARCIA, "Márcia Conceição", "1").await;
    wa.until(async || {
        let m = wa.messages(&marcia_conv).await;
        m.iter()
            .any(|m| m["text"] == "Aqui está sua segunda via, Márcia.")
            .then_some(())
    })
    .await;
    atende_store::testing::age_conversation(
        wa.app.store(),
        marcia_conv.parse().unwrap(),
        40 * DAY_MS,
    )
    .await
    .unwrap();
    writes(&wa, MARCIA, "Márcia Conceição", "oi de novo").await;

    let joao_conv = wa.customer_writes(JOAO, "João Ninguém", "oi").await;
    wa.until(async || {
        let m = wa.messages(&joao_conv).await;
        (m.iter().any(|m| m["author_kind"] == "bot")).then_some(())
    })
    .await;
    writes(&wa, JOAO, "João Ninguém", "2").await;
    let c = wa
        .until(async || {
            let c = wa.admin.conversation(&joao_conv).await;
            c["protocol"].is_string().then_some(c)
        })
        .await;
    // Márcia's second message reached its chat too.
    wa.until(async || {
        let m = wa.messages(&marcia_conv).await;
        m.iter().any(|m| m["text"] == "oi de novo").then_some(())
    })
    .await;
    World {
        tag_id: tag["id"].as_str().unwrap().to_string(),
        marcia_conv,
        joao_protocol: c["protocol"].as_str().unwrap().to_string(),
        wa,
    }
}

async fn page(w: &World, query: &str) -> Value {
    w.wa.admin
        .get_json(&format!("/api/v1/reports/conversations{query}"))
        .await
}

fn names(p: &Value) -> Vec<String> {
    p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn sessions_list_bot_only_and_handed_over_newest_first_with_every_filter() {
    let w = world().await;

    // Opens on the last 31 days, newest first: João, then Márcia's new
    // session; her session of 40 days ago is outside.
    let p = page(&w, "").await;
    assert_eq!(names(&p), ["João Ninguém", "Márcia Conceição"], "{p}");
    let joao = &p["items"][0];
    assert_eq!(joao["phone"], format!("+{JOAO}"));
    assert_eq!(joao["phone_display"], "+55 11 98765-0002");
    assert_eq!(joao["channel_label"], "WhatsApp");
    assert_eq!(joao["handed_over"], true);
    assert_eq!(joao["protocols"], json!([w.joao_protocol]));
    assert!(joao["messages"].as_i64().unwrap() >= 3, "{joao}");
    let marcia_new = &p["items"][1];
    assert_eq!(marcia_new["handed_over"], false);
    assert_eq!(marcia_new["tags"], json!(["Segunda Via Sucesso"]));
    assert!(marcia_new["ended_at"].is_null());
    assert!(p["next_cursor"].is_null());

    // The 31-day limit: 31 days pass, 32 are refused with the reason.
    let p = page(&w, &format!("?from={}&to={}", day(-30), day(0))).await;
    assert_eq!(names(&p).len(), 2);
    let r =
        w.wa.admin
            .get(&format!(
                "/api/v1/reports/conversations?from={}&to={}",
                day(-31),
                day(0)
            ))
            .await;
    let e = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "range_too_long").await;
    assert_eq!(
        e["error"]["message"],
        "O intervalo de tempo não pode ultrapassar 31 dias."
    );
    let r =
        w.wa.admin
            .get(&format!("/api/v1/reports/conversations?from={}", day(-3)))
            .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    // Forty days ago: Márcia's bot-only session, closed by the next one.
    let old = page(&w, &format!("?from={}&to={}", day(-41), day(-39))).await;
    assert_eq!(names(&old), ["Márcia Conceição"], "{old}");
    let marcia_old = old["items"][0].clone();
    assert_eq!(marcia_old["handed_over"], false);
    assert!(marcia_old["ended_at"].is_string());
    assert_eq!(marcia_old["protocols"], json!([]));
    let old_range = format!("from={}&to={}", day(-41), day(-39));

    // Session: exactly that one, at any time; a malformed code is refused.
    let id = marcia_old["id"].as_str().unwrap();
    let p = page(&w, &format!("?session_id={id}")).await;
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    assert_eq!(p["items"][0]["id"], id);
    let r =
        w.wa.admin
            .get("/api/v1/reports/conversations?session_id=c639c747-4637")
            .await;
    let e = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_session").await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("c639c747-4637-4ff5-99c0-9f0e86d3c21b")
    );

    // Protocol: the session its attendance spans; 17 digits or refused.
    let p = page(&w, &format!("?protocol={}", w.joao_protocol)).await;
    assert_eq!(names(&p), ["João Ninguém"]);
    for bad in [
        "2025100709263364",
        "2025100709263364X",
        "202510070926336467",
    ] {
        let r =
            w.wa.admin
                .get(&format!("/api/v1/reports/conversations?protocol={bad}"))
                .await;
        let e = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_protocol").await;
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("17 números"),
            "{e}"
        );
    }
    let p = page(&w, "?protocol=20251007092633646").await;
    assert_eq!(
        names(&p).len(),
        0,
        "a valid protocol of nobody finds nothing"
    );

    // Tags, by id or name.
    let p = page(&w, &format!("?tags={}", w.tag_id)).await;
    assert_eq!(names(&p), ["Márcia Conceição"]);
    let p = page(&w, &format!("?tags={}", encode("Segunda Via Sucesso"))).await;
    assert_eq!(names(&p), ["Márcia Conceição"]);
    let r =
        w.wa.admin
            .get("/api/v1/reports/conversations?tags=Inexistente")
            .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "unknown_tag").await;

    // Additional information stored by the flow, each operation (case
    // aside). Today only João's and Márcia's new session: neither has it.
    let info = |op: &str, value: &str, range: &str| {
        format!("?field=NAO_TRANSBORDADA&op={op}&value={value}&{range}")
    };
    let p = page(&w, &info("contains", "SI", &old_range)).await;
    assert_eq!(names(&p), ["Márcia Conceição"]);
    let p = page(&w, &info("equals", "Sim", &old_range)).await;
    assert_eq!(names(&p), ["Márcia Conceição"]);
    let p = page(&w, &info("equals", "si", &old_range)).await;
    assert_eq!(names(&p).len(), 0);
    let p = page(&w, &info("exists", "", &old_range)).await;
    assert_eq!(names(&p), ["Márcia Conceição"]);
    let p = page(&w, &info("contains", "sim", "")).await;
    assert_eq!(names(&p).len(), 0, "{p}");
    let p = page(&w, &info("not_contains", "sim", "")).await;
    assert_eq!(names(&p), ["João Ninguém", "Márcia Conceição"]);
    let p = page(&w, &info("not_equals", "sim", &old_range)).await;
    assert_eq!(names(&p).len(), 0);
    for (q, code) in [
        ("?field=NAO_TRANSBORDADA&op=starts&value=s", "invalid"),
        ("?field=NAO_TRANSBORDADA&op=equals", "invalid"),
        ("?field=NAO_TRANSBORDADA", "invalid"),
    ] {
        let r =
            w.wa.admin
                .get(&format!("/api/v1/reports/conversations{q}"))
                .await;
        assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    }

    // Channel and contact.
    let p = page(&w, "?channel=whatsapp").await;
    assert_eq!(names(&p).len(), 2);
    let p = page(&w, "?channel=telegram").await;
    assert_eq!(names(&p).len(), 0);
    let r =
        w.wa.admin
            .get("/api/v1/reports/conversations?channel=fax")
            .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    let p = page(&w, &format!("?contact={}", encode("márcia"))).await;
    assert_eq!(names(&p), ["Márcia Conceição"]);
    let p = page(&w, "?contact=650002").await;
    assert_eq!(names(&p), ["João Ninguém"]);
    let p = page(
        &w,
        "?channel=whatsapp&contact=650002&tags=Segunda%20Via%20Sucesso",
    )
    .await;
    assert_eq!(names(&p).len(), 0, "filters combine");

    // Pages of one: the same sessions, each once.
    let first = page(&w, "?limit=1").await;
    assert_eq!(names(&first), ["João Ninguém"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = page(&w, &format!("?limit=1&cursor={cursor}")).await;
    assert_eq!(names(&second), ["Márcia Conceição"]);
    assert!(second["next_cursor"].is_null());
}

#[tokio::test]
async fn a_session_opens_on_its_own_conversation_and_as_a_pdf() {
    let w = world().await;
    let old = page(&w, &format!("?from={}&to={}", day(-41), day(-39))).await;
    let id = old["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        w.wa.admin
            .get_json(&format!("/api/v1/reports/conversations/{id}"))
            .await["conversation_id"],
        w.marcia_conv
    );
    let m =
        w.wa.admin
            .get_json(&format!("/api/v1/reports/conversations/{id}/messages"))
            .await;
    let texts: Vec<&str> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "oi",
            "Digite 1 para a segunda via ou 2 para falar com um atendente.",
            "1",
            "Aqui está sua segunda via, Márcia."
        ],
        "the session holds its own messages, not the next session's"
    );
    assert_eq!(m["items"][1]["author_kind"], "bot");
    // Paged.
    let first =
        w.wa.admin
            .get_json(&format!(
                "/api/v1/reports/conversations/{id}/messages?limit=3"
            ))
            .await;
    let after = first["next_cursor"].as_str().unwrap();
    let rest =
        w.wa.admin
            .get_json(&format!(
                "/api/v1/reports/conversations/{id}/messages?after={after}"
            ))
            .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        rest["items"][0]["text"],
        "Aqui está sua segunda via, Márcia."
    );

    let r =
        w.wa.admin
            .post(
                &format!("/api/v1/reports/conversations/{id}/pdf"),
                json!({}),
            )
            .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let started: Value = r.json().await.unwrap();
    assert_eq!(started["message"], "O PDF da sessão está sendo gerado");
    let done = finished(&w.wa, started["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "ready", "{done}");
    assert_eq!(done["message"], "Baixar PDF da sessão");
    let pdf =
        w.wa.admin
            .get(done["download_url"].as_str().unwrap())
            .await
            .bytes()
            .await
            .unwrap();
    let flat = pdftotext(&pdf, "session-report-page1")
        .expect("pdftotext: .ci/setup installs poppler-utils")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("Aqui está sua segunda via, Márcia."),
        "{flat}"
    );
    assert!(!flat.contains("oi de novo"), "only the session: {flat}");

    let r =
        w.wa.admin
            .get("/api/v1/reports/conversations/0195e0a0-0000-7000-8000-000000000000")
            .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_filtered_set_exports_as_csv_and_xlsx_and_needs_the_reports_module() {
    let w = world().await;
    let mut files = Vec::new();
    for format in ["csv", "xlsx"] {
        let r =
            w.wa.admin
                .post(
                    "/api/v1/reports/conversations/export",
                    json!({"channel": "whatsapp", "format": format}),
                )
                .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        let started: Value = r.json().await.unwrap();
        assert_eq!(
            started["message"],
            "A planilha está sendo gerada e em breve estará disponível"
        );
        assert_eq!(started["kind"], "conversations");
        let done = finished(&w.wa, started["id"].as_str().unwrap()).await;
        assert_eq!(done["status"], "ready", "{done}");
        assert_eq!(done["message"], "Baixar planilha");
        let r = w.wa.admin.get(done["download_url"].as_str().unwrap()).await;
        assert_eq!(r.status(), 200);
        let disposition = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.contains("conversas-") && disposition.ends_with(&format!(".{format}\"")),
            "{disposition}"
        );
        files.push((
            r.headers()["content-type"].to_str().unwrap().to_string(),
            r.bytes().await.unwrap().to_vec(),
        ));
    }

    let (csv_type, csv) = &files[0];
    assert_eq!(csv_type, "text/csv; charset=utf-8");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = std::str::from_utf8(&csv[3..]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Sessão;Início;Celular;Nome;Canal;Caixa de entrada;Transbordada;Protocolos;Etiquetas;Mensagens"
    );
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].contains(";João Ninguém;WhatsApp;") && lines[1].contains(";Sim;"));
    assert!(lines[1].contains(&w.joao_protocol));
    assert!(lines[2].contains(";Márcia Conceição;") && lines[2].contains(";Segunda Via Sucesso;"));

    let (xlsx_type, xlsx) = &files[1];
    assert_eq!(
        xlsx_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx.clone())).unwrap();
    let range = book.worksheet_range("Conversas").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], Data::String("Sessão".into()));
    assert_eq!(rows[1][3], Data::String("João Ninguém".into()));
    assert_eq!(rows[2][3], Data::String("Márcia Conceição".into()));
    assert!(matches!(rows[1][1], Data::DateTime(_)), "a date-time cell");
    assert!(matches!(rows[1][9], Data::Float(n) if n >= 3.0));

    // A bad filter starts nothing.
    let r =
        w.wa.admin
            .post(
                "/api/v1/reports/conversations/export",
                json!({"from": day(-40), "to": day(0), "format": "csv"}),
            )
            .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "range_too_long").await;
    let list = w.wa.admin.get_json("/api/v1/reports").await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    // Agents have no Reports module.
    let agent = w.wa.app.named_user(&w.wa.admin, "agent", "Bruno").await;
    for r in [
        agent.get("/api/v1/reports/conversations").await,
        agent
            .post(
                "/api/v1/reports/conversations/export",
                json!({"format": "csv"}),
            )
            .await,
    ] {
        assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
}
